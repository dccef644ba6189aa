"""The front desk's day view: sessions, issued documents, printing the day's set."""

"""SQLAlchemy 2 models: the clinic's records as tables (db layer, no Qt).

Only ``mesoplan.services`` and ``mesoplan.db`` use these classes; the screens receive frozen records
from the services instead. Lists that are only ever read whole (treatment areas, caution tags, the
zones of a session) are JSON columns; everything that is searched or joined has its own column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def search_key_type(length: int) -> String:
    """Text compared byte by byte on every backend, so prefix ranges and sorting agree."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


# --- clinic, people, access -------------------------------------------------------------------


class ClinicSettings(Base):
    """The clinic's own details and policies; a single row with id 1."""

    __tablename__ = "clinic_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    emergency_phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    jurisdiction: Mapped[str] = mapped_column(String(20), default="GB-ENG")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    page_size: Mapped[str] = mapped_column(String(10), default="A4")
    document_language: Mapped[str] = mapped_column(String(10), default="en")
    idle_lock_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    backup_keep: Mapped[int] = mapped_column(Integer, default=14)
    backup_interval_minutes: Mapped[int] = mapped_column(Integer, default=60)
    retention_years: Mapped[int] = mapped_column(Integer, default=10)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Practitioner(Base):
    __tablename__ = "practitioner"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    profession: Mapped[str] = mapped_column(String(120), default="")
    registration_number: Mapped[str] = mapped_column(String(60), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioner.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)


# --- patients ----------------------------------------------------------------------------------


class Patient(Base):
    __tablename__ = "patient"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    sex: Mapped[str] = mapped_column(String(20), default="unknown")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    gp_details: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Search keys: accent-free, case-folded copies kept in step by the service layer.
    family_key: Mapped[str] = mapped_column(search_key_type(200), default="")
    given_key: Mapped[str] = mapped_column(search_key_type(200), default="")
    phone_digits: Mapped[str] = mapped_column(search_key_type(60), default="", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_patient_date_of_birth", "date_of_birth"),
        Index("ix_patient_sort", "family_key", "given_key", "id"),
    )

    screenings: Mapped[list[Screening]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", order_by="Screening.taken_on"
    )
    plans: Mapped[list[TreatmentPlan]] = relationship(
        back_populates="patient", cascade="all, delete-orphan"
    )


class PatientNameToken(Base):
    """One word of a patient's names, for instant prefix search on any part of a name.

    The patient's sort keys are repeated here so that a search reads names in list order straight
    from the index, without touching the patient table until the page of results is known.
    """

    __tablename__ = "patient_name_token"
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(search_key_type(100), primary_key=True)
    family_key: Mapped[str] = mapped_column(search_key_type(200), default="")
    given_key: Mapped[str] = mapped_column(search_key_type(200), default="")
    __table_args__ = (
        Index("ix_patient_name_token_token", "token", "family_key", "given_key", "patient_id"),
    )


class Screening(Base):
    """One dated medical screening; a later one is a new row, never an overwrite."""

    __tablename__ = "screening"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    questionnaire_version: Mapped[str] = mapped_column(String(20), default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    patient: Mapped[Patient] = relationship(back_populates="screenings")


# --- catalog ------------------------------------------------------------------------------------


class Ingredient(Base):
    __tablename__ = "ingredient"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    common_name: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(40))
    strength_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    strength_unit: Mapped[str | None] = mapped_column(String(20), nullable=True)
    presentation: Mapped[str] = mapped_column(String(200), default="")
    legal_status: Mapped[str] = mapped_column(String(200), default="")
    vehicle: Mapped[str] = mapped_column(String(20), default="aqueous")
    regions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    caution_tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    min_interval_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    typical_volume: Mapped[str] = mapped_column(String(200), default="")
    storage: Mapped[str] = mapped_column(String(200), default="")
    off_label: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_grade: Mapped[str] = mapped_column(String(4), default="")
    sources: Mapped[str] = mapped_column(Text, default="")
    cautions: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    custom: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Product(Base):
    """A ready-made cocktail: a commercial product made of catalog ingredients."""

    __tablename__ = "product"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    maker: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(60), default="polycomponent_product")
    legal_status: Mapped[str] = mapped_column(String(200), default="")
    presentation: Mapped[str] = mapped_column(String(200), default="")
    regions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    caution_tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    off_label: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_grade: Mapped[str] = mapped_column(String(4), default="")
    sources: Mapped[str] = mapped_column(Text, default="")
    cautions: Mapped[str] = mapped_column(Text, default="")
    storage: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    custom: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    components: Mapped[list[ProductComponent]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductComponent.position"
    )


class ProductComponent(Base):
    __tablename__ = "product_component"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredient.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    strength_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    strength_unit: Mapped[str | None] = mapped_column(String(20), nullable=True)
    product: Mapped[Product] = relationship(back_populates="components")
    ingredient: Mapped[Ingredient] = relationship()


class Batch(Base):
    """A lot of a product or of a single-ingredient preparation, with its expiry."""

    __tablename__ = "batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("product.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    ingredient_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingredient.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    lot_number: Mapped[str] = mapped_column(String(80))
    expiry_date: Mapped[dt.date] = mapped_column(Date)
    received_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    quantity_received: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        CheckConstraint(
            "(product_id IS NULL) <> (ingredient_id IS NULL)", name="exactly_one_item"
        ),
        UniqueConstraint("product_id", "lot_number", name="uq_batch_product_lot"),
        UniqueConstraint("ingredient_id", "lot_number", name="uq_batch_ingredient_lot"),
    )


class Protocol(Base):
    """A session schedule as data: phases of 'every N days/weeks/months, K times'."""

    __tablename__ = "protocol"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    indications: Mapped[list[Any]] = mapped_column(JSON, default=list)
    phases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    custom: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class RuleSetting(Base):
    """A clinic's override of a shipped safety rule (its severity, or switched off)."""

    __tablename__ = "rule_setting"
    rule_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    severity: Mapped[str | None] = mapped_column(String(20), nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- plans and sessions -------------------------------------------------------------------------


class TreatmentPlan(Base):
    __tablename__ = "treatment_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"), index=True)
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioner.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    indication: Mapped[str] = mapped_column(String(60))
    indication_other: Mapped[str] = mapped_column(String(200), default="")
    areas: Mapped[list[Any]] = mapped_column(JSON, default=list)
    goals: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    protocol_code: Mapped[str] = mapped_column(String(80), default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    technique: Mapped[str] = mapped_column(String(40), default="")
    depth_mm: Mapped[float | None] = mapped_column(Float, nullable=True)
    needle: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    template_name: Mapped[str] = mapped_column(String(200), default="")
    consent_signed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    patient: Mapped[Patient] = relationship(back_populates="plans")
    practitioner: Mapped[Practitioner | None] = relationship()
    components: Mapped[list[CocktailComponent]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="CocktailComponent.position"
    )
    sessions: Mapped[list[TreatmentSession]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="TreatmentSession.sequence"
    )
    acknowledgements: Mapped[list[FindingAcknowledgement]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class CocktailComponent(Base):
    __tablename__ = "cocktail_component"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    ingredient_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingredient.id", ondelete="RESTRICT"), nullable=True
    )
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("product.id", ondelete="RESTRICT"), nullable=True
    )
    strength_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    strength_unit: Mapped[str | None] = mapped_column(String(20), nullable=True)
    volume_ml: Mapped[float] = mapped_column(Float)
    plan: Mapped[TreatmentPlan] = relationship(back_populates="components")
    ingredient: Mapped[Ingredient | None] = relationship()
    product: Mapped[Product | None] = relationship()
    __table_args__ = (
        CheckConstraint(
            "(product_id IS NULL) <> (ingredient_id IS NULL)", name="exactly_one_item"
        ),
        CheckConstraint("volume_ml > 0", name="positive_volume"),
    )


class TreatmentSession(Base):
    __tablename__ = "treatment_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(60), default="")
    planned_date: Mapped[dt.date] = mapped_column(Date, index=True)
    planned_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    technique: Mapped[str] = mapped_column(String(40), default="")
    depth_mm: Mapped[float | None] = mapped_column(Float, nullable=True)
    needle: Mapped[str] = mapped_column(String(60), default="")
    zones: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reactions: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    performed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    performed_by: Mapped[str] = mapped_column(String(200), default="")
    plan: Mapped[TreatmentPlan] = relationship(back_populates="sessions")
    batches: Mapped[list[SessionBatch]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint(
            "depth_mm IS NULL OR (depth_mm >= 0.1 AND depth_mm <= 13)", name="depth_range"
        ),
    )


class SessionBatch(Base):
    """A batch actually used in a session (traceability for recalls)."""

    __tablename__ = "session_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="CASCADE"), index=True
    )
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="RESTRICT"), index=True)
    volume_ml: Mapped[float | None] = mapped_column(Float, nullable=True)
    correction: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The reason given when a batch that had expired before the session is recorded as what was
    really used (a correction of the record); empty for an ordinary use."""
    session: Mapped[TreatmentSession] = relationship(back_populates="batches")
    batch: Mapped[Batch] = relationship()


class FindingAcknowledgement(Base):
    """Who acknowledged a 'must acknowledge' safety finding, when and why."""

    __tablename__ = "finding_acknowledgement"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text)
    acknowledged_by: Mapped[str] = mapped_column(String(200))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    plan: Mapped[TreatmentPlan] = relationship(back_populates="acknowledgements")


class PlanTemplate(Base):
    """A reusable starting point for plans: indication, areas, protocol and cocktail."""

    __tablename__ = "plan_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    indication: Mapped[str] = mapped_column(String(60))
    indication_other: Mapped[str] = mapped_column(String(200), default="")
    areas: Mapped[list[Any]] = mapped_column(JSON, default=list)
    goals: Mapped[str] = mapped_column(Text, default="")
    protocol_code: Mapped[str] = mapped_column(String(80), default="")
    technique: Mapped[str] = mapped_column(String(40), default="")
    depth_mm: Mapped[float | None] = mapped_column(Float, nullable=True)
    needle: Mapped[str] = mapped_column(String(60), default="")
    components: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


# --- documents and audit ------------------------------------------------------------------------


class IssuedDocument(Base):
    """A consent form or aftercare sheet as issued: enough to check or reprint it identically."""

    __tablename__ = "issued_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    template_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10), default="en")
    page_size: Mapped[str] = mapped_column(String(10), default="A4")
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    issued_by: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    times_printed: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """One link of the append-only, hash-chained audit trail."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(60), default="")
    entity_id: Mapped[str] = mapped_column(String(60), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_audit_entry_entity", "entity_type", "entity_id"),)


class AuditHead(Base):
    """The newest link of the audit chain; locked while appending so two writers cannot fork it."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    last_entry_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))

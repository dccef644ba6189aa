"""Name and phone pools for the synthetic clinic: people from several countries, accents included.

Benchmark data only (never shipped): family and given names as they are written in each country,
with the letters that make search and PDF fonts work hard (Ł, ğ, ø, ñ, ễ, apostrophes, hyphens,
particles such as "van der"). Earlier names in each list are drawn more often, as in real clinics.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    weight: int
    family: tuple[str, ...]
    female: tuple[str, ...]
    male: tuple[str, ...]
    phone_prefix: str
    phone_groups: tuple[int, ...]
    compound_family: float = 0.0
    """Chance of a double family name (Spanish and Portuguese style, or hyphenated)."""
    hyphen: str = " "


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


COUNTRIES: tuple[Country, ...] = (
    Country("GB", 30, _split("Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, "
                             "Johnson, Roberts, Robinson, Thompson, Wright, Walker, White, Edwards, "
                             "Hughes, Green, Hall, Lewis, Harris, Clarke, Patel, Jackson, Wood, Turner, "
                             "Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King, Baker, "
                             "Harrison, Morgan, Allen, O'Connor, McDonald, Fitzgerald, Ní Bhriain, "
                             "Ó Súilleabháin, Mac Giolla Phádraig, Bennett, Whitfield"),
            _split("Olivia, Amelia, Isla, Ava, Emily, Sophia, Grace, Mia, Poppy, Ella, Lily, "
                   "Evie, Isabella, Charlotte, Jessica, Chloe, Sophie, Freya, Siobhán, Aoife, "
                   "Niamh, Caoimhe, Ruth, Claire, Hannah"),
            _split("Oliver, George, Harry, Jack, Jacob, Noah, Charlie, Muhammad, Thomas, Oscar, "
                   "William, James, Daniel, Seán, Pádraig, Eoin, Cian, Liam, Arthur, Henry"),
            "+44 7700", (3, 3), 0.03, "-"),
    Country("PL", 8, _split("Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, "
                            "Zieliński, Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, "
                            "Kwiatkowski, Krawczyk, Piotrowski, Grabowski, Nowakowski, Pawłowski, "
                            "Michalski, Król, Wieczorek, Jabłoński, Łukasiewicz, Żak, Ślusarczyk"),
            _split("Anna, Maria, Katarzyna, Małgorzata, Agnieszka, Barbara, Ewa, Krystyna, Elżbieta, "
                   "Zofia, Joanna, Magdalena, Łucja, Jadwiga, Bożena"),
            _split("Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Jan, Michał, Marcin, Łukasz, Grzegorz, "
                   "Stanisław, Wojciech, Mirosław, Zbigniew, Józef"),
            "+48", (3, 3, 3), 0.04, "-"),
    Country("TR", 6, _split("Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, "
                            "Özdemir, Arslan, Doğan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, "
                            "Şimşek, Ağaoğlu, Güneş, Erdoğan, Aktaş"),
            _split("Zeynep, Elif, Ayşe, Fatma, Emine, Hatice, Merve, Büşra, Özlem, Gül, Şule, "
                   "Nilüfer, Çiğdem, İpek"),
            _split("Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, İsmail, Osman, Yusuf, "
                   "Murat, Ömer, Emre, Barış, Çağrı"),
            "+90 5", (2, 3, 2, 2), 0.0),
    Country("ES", 8, _split("García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez, "
                            "Gómez, Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Muñoz, Álvarez, "
                            "Romero, Alonso, Gutiérrez, Navarro, Torres, Domínguez, Vázquez, Ramos, "
                            "Gil, Ramírez, Serrano, Blanco, Suárez, Molina, de la Cruz, Peña, Ibáñez, "
                            "Núñez, Cañizares"),
            _split("María, Carmen, Ana, Isabel, Laura, Cristina, Lucía, Marta, Sofía, Paula, "
                   "María José, Begoña, Inés, Nuria, Maite, Ángela, Rocío, Pilar"),
            _split("Antonio, José, Manuel, Francisco, David, Juan, Javier, Daniel, Carlos, Jesús, "
                   "Alejandro, Miguel, Rafael, Pablo, Álvaro, Sergio, Íñigo, Andrés"),
            "+34 6", (2, 3, 3), 0.85),
    Country("FR", 7, _split("Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, "
                            "Moreau, Simon, Laurent, Lefèvre, Michel, Garcia, David, Bertrand, Roux, "
                            "Vincent, Fournier, Morel, Girard, André, Lefebvre, Mercier, Dupont, "
                            "Lambert, Bonnet, François, Martinez, N'Diaye, Diallo, Béranger, Gaël"),
            _split("Chloé, Léa, Manon, Camille, Inès, Zoé, Émilie, Hélène, Mélanie, Océane, Anaïs, "
                   "Françoise, Cécile, Maëlle, Noémie, Agnès"),
            _split("Gabriel, Léo, Raphaël, Louis, Jules, Adam, Lucas, Hugo, Nathan, Théo, Noé, "
                   "Jean-Baptiste, François, Loïc, Jérôme, Gaëtan"),
            "+33 6", (2, 2, 2, 2), 0.03, "-"),
    Country("DE", 7, _split("Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, "
                            "Hoffmann, Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, "
                            "Schwarz, Zimmermann, Braun, Krüger, Hofmann, Hartmann, Lange, Weiß, "
                            "Groß, Jäger, von Bülow, Köhler, Ößwald"),
            _split("Emma, Hannah, Mia, Sophie, Lena, Jördis, Anna, Lea, Marie, Grete, Käthe, "
                   "Jutta, Ursula, Brigitte, Gisela, Sabine"),
            _split("Ben, Paul, Jonas, Elias, Leon, Finn, Noah, Luis, Lukas, Jürgen, Günther, "
                   "Hans-Peter, Björn, Jörg, Sören, Uwe"),
            "+49 15", (2, 4, 4), 0.03, "-"),
    Country("NL", 3, _split("de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, "
                            "Smit, Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, "
                            "van Leeuwen, Dekker, van der Berg, van 't Hof, IJzerman"),
            _split("Emma, Julia, Sophie, Tess, Anna, Fenna, Saar, Zoë, Noor, Lotte, Iris"),
            _split("Daan, Sem, Lucas, Levi, Finn, Milan, Bram, Thijs, Ruben, Joris, Sjoerd"),
            "+31 6", (4, 4), 0.0),
    Country("DK", 3, _split("Jensen, Nielsen, Hansen, Pedersen, Andersen, Christensen, Larsen, Sørensen, "
                            "Rasmussen, Jørgensen, Petersen, Madsen, Kristensen, Olsen, Thomsen, "
                            "Østergaard, Møller, Bæk, Søndergaard, Lindgård"),
            _split("Sofie, Ida, Emma, Freja, Anne, Mette, Kirsten, Hanne, Søs, Åse, Bodil"),
            _split("Bjørn, Søren, Jens, Mads, Rasmus, Niels, Jørgen, Frederik, Asger, Ørjan"),
            "+45", (2, 2, 2, 2), 0.02, "-"),
    Country("HR", 3, _split("Horvat, Kovačević, Babić, Marić, Jurić, Novak, Kovačić, Knežević, Vuković, "
                            "Marković, Petrović, Matić, Tomić, Pavlović, Božić, Blažević, Grgić, "
                            "Šarić, Lovrić, Perić, Đurić, Čolić"),
            _split("Ana, Marija, Ivana, Petra, Maja, Lucija, Mia, Nikolina, Željka, Snježana"),
            _split("Ivan, Marko, Luka, Josip, Tomislav, Ante, Matej, Dražen, Željko, Đuro"),
            "+385 9", (1, 3, 4), 0.02, "-"),
    Country("PT", 3, _split("Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, "
                            "Jesus, Sousa, Fernandes, Gonçalves, Gomes, Lopes, Marques, Alves, "
                            "Almeida, Ribeiro, Pinto, Carvalho, Conceição, Simões, Magalhães"),
            _split("Maria, Ana, Beatriz, Leonor, Inês, Matilde, Mariana, Conceição, Joana, Graça"),
            _split("João, Francisco, Tomás, Duarte, Gonçalo, Rodrigo, Simão, Tiago, Luís, António"),
            "+351 9", (2, 3, 3), 0.7),
    Country("VN", 3, _split("Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, "
                            "Hồ, Ngô, Dương, Lý"),
            _split("Thị Lan, Thị Mai, Ngọc Anh, Thu Hà, Phương, Hương, Thảo, Linh, Trang, Huyền"),
            _split("Văn An, Minh Tuấn, Quốc Bảo, Đức Anh, Hoàng Nam, Thành, Hùng, Dũng, Khoa, Phúc"),
            "+84 9", (2, 3, 2, 2), 0.0),
    Country("GR", 2, _split("Papadopoulos, Vlachos, Angelopoulos, Nikolaidis, Georgiou, Petridis, "
                            "Athanasiou, Dimitriou, Papadakis, Oikonomou, Karagiannis, Konstantinidis"),
            _split("Maria, Eleni, Aikaterini, Vasiliki, Sofia, Angeliki, Dimitra, Georgia"),
            _split("Georgios, Ioannis, Konstantinos, Dimitrios, Nikolaos, Panagiotis, Vasileios"),
            "+30 69", (2, 3, 3), 0.0),
    Country("IS", 1, _split("Jónsdóttir, Sigurðardóttir, Guðmundsdóttir, Jónsson, Sigurðsson, "
                            "Guðmundsson, Gunnarsson, Ólafsson, Þórsdóttir, Björnsson"),
            _split("Guðrún, Anna, Kristín, Sigríður, Margrét, Helga, Þórunn, Ásdís"),
            _split("Jón, Sigurður, Guðmundur, Gunnar, Ólafur, Einar, Þórður, Ásgeir"),
            "+354", (3, 4), 0.0),
    Country("AE", 3, _split("Al-Sayed, Haddad, Al-Farsi, Khoury, Mansour, Al-Hashimi, Nasser, Saleh, "
                            "Abdallah, El-Amin, Hamdan, Qureshi"),
            _split("Fatima, Aisha, Maryam, Layla, Noor, Zainab, Huda, Amira, Salma, Yasmin"),
            _split("Mohammed, Ahmed, Omar, Ali, Khalid, Yousef, Hassan, Ibrahim, Tariq, Karim"),
            "+971 50", (3, 4), 0.0),
    Country("IN", 4, _split("Sharma, Patel, Singh, Kumar, Gupta, Reddy, Iyer, Nair, Mehta, Chopra, "
                            "Banerjee, Chatterjee, Desai, Joshi, Kapoor, Malhotra, Rao, Verma"),
            _split("Aanya, Diya, Priya, Ananya, Kavya, Isha, Meera, Riya, Sneha, Pooja"),
            _split("Aarav, Vivaan, Aditya, Arjun, Rohan, Sai, Vihaan, Krishna, Rahul, Vikram"),
            "+44 7700", (3, 3), 0.0),
    Country("JP", 2, _split("Satō, Suzuki, Takahashi, Tanaka, Watanabe, Itō, Yamamoto, Nakamura, "
                            "Kobayashi, Katō, Yoshida, Yamada, Sasaki, Ōno, Saitō"),
            _split("Yui, Hina, Sakura, Yuna, Aoi, Mei, Haruka, Yōko, Keiko, Emi"),
            _split("Haruto, Sōta, Yūto, Hiroshi, Takeshi, Kenji, Ren, Kōki, Daiki, Shō"),
            "+81 90", (4, 4), 0.0),
    Country("NG", 2, _split("Okafor, Adeyemi, Okonkwo, Balogun, Eze, Nwosu, Ogunleye, Bello, "
                            "Abubakar, Chukwu, Olawale, Okonkwo-Brandt"),
            _split("Chiamaka, Ngozi, Adaeze, Funmilayo, Amina, Ifeoma, Temitope, Ebere"),
            _split("Chinedu, Emeka, Oluwaseun, Tunde, Ifeanyi, Babajide, Musa, Obinna"),
            "+234 80", (3, 3, 2), 0.05, "-"),
)


def phone_number(country: Country, digits: str) -> str:
    """A phone number in the country's usual grouping, from a string of enough random digits."""
    groups, at = [], 0
    for size in country.phone_groups:
        groups.append(digits[at:at + size])
        at += size
    return " ".join([country.phone_prefix, *groups])

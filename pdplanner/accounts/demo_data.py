"""The demo organisation's people: deterministic, every level, a third preferring French."""

ORGANISATION = {"name": "Santé Pour Tous (demo)", "default_language": "en",
                "timezone": "Africa/Bamako", "default_cadence": "monthly"}

LEVELS = ["Director", "Senior programme manager", "Programme manager",
          "Junior programme manager", "Field staff"]

#: The levels' and teams' names in French, by English name.
FRENCH_NAMES = {
    "Director": "Directrice ou directeur",
    "Senior programme manager": "Responsable de programme principal·e",
    "Programme manager": "Responsable de programme",
    "Junior programme manager": "Responsable de programme junior",
    "Field staff": "Personnel de terrain",
    "Direction and operations": "Direction et opérations",
    "Quality improvement": "Amélioration de la qualité",
    "Community health": "Santé communautaire",
    "Monitoring and evaluation": "Suivi et évaluation",
    "CSCom Sabalibougou": "CSCom Sabalibougou",
    "CSCom Banconi": "CSCom Banconi",
}

#: (name, kind, is_partner, description)
TEAMS = [
    ("Direction and operations", "team", False, "Director's office, HR, finance and IT."),
    ("Quality improvement", "team", False, "QI coaching with partner health centres."),
    ("Community health", "team", False, "Community health workers and outreach."),
    ("Monitoring and evaluation", "team", False, "Data, indicators and learning."),
    ("CSCom Sabalibougou", "site", True, "Partner community health centre."),
    ("CSCom Banconi", "site", True, "Partner community health centre."),
]

#: (name, email local part, level index, team index, supervisor local part, language, roles)
PEOPLE = [
    ("Aminata Diallo", "aminata.diallo", 0, 0, None, "fr", ""),
    ("Moussa Traoré", "moussa.traore", 1, 1, "aminata.diallo", "fr", ""),
    ("Claire Martin", "claire.martin", 1, 2, "aminata.diallo", "en", ""),
    ("Fatoumata Coulibaly", "fatoumata.coulibaly", 1, 0, "aminata.diallo", "en", "hr"),
    ("Oumar Sangaré", "oumar.sangare", 1, 3, "aminata.diallo", "en", ""),
    ("Ibrahim Keita", "ibrahim.keita", 2, 0, "aminata.diallo", "en", "admin"),
    ("Awa Konaté", "awa.konate", 2, 1, "moussa.traore", "fr", ""),
    ("Seydou Dembélé", "seydou.dembele", 2, 1, "moussa.traore", "en", ""),
    ("Mariam Touré", "mariam.toure", 3, 1, "moussa.traore", "en", ""),
    ("Bakary Sissoko", "bakary.sissoko", 3, 1, "moussa.traore", "fr", ""),
    ("Kadiatou Diarra", "kadiatou.diarra", 4, 4, "awa.konate", "fr", ""),
    ("Adama Keïta", "adama.keita", 4, 4, "awa.konate", "en", ""),
    ("Salimata Camara", "salimata.camara", 4, 4, "awa.konate", "en", ""),
    ("Youssouf Bagayoko", "youssouf.bagayoko", 4, 4, "awa.konate", "fr", ""),
    ("Tara Johnson", "tara.johnson", 2, 2, "claire.martin", "en", ""),
    ("Hawa Doumbia", "hawa.doumbia", 2, 2, "claire.martin", "en", ""),
    ("Mamadou Cissé", "mamadou.cisse", 3, 2, "claire.martin", "fr", ""),
    ("Rokia Sidibé", "rokia.sidibe", 3, 2, "claire.martin", "en", ""),
    ("Djeneba Koné", "djeneba.kone", 4, 5, "tara.johnson", "en", ""),
    ("Souleymane Maïga", "souleymane.maiga", 4, 5, "tara.johnson", "fr", ""),
    ("Nana Kouyaté", "nana.kouyate", 4, 5, "tara.johnson", "en", ""),
    ("Modibo Fofana", "modibo.fofana", 4, 5, "tara.johnson", "en", ""),
    ("Assitan Ballo", "assitan.ballo", 2, 3, "oumar.sangare", "en", ""),
    ("Boubacar Guindo", "boubacar.guindo", 3, 3, "oumar.sangare", "fr", ""),
    ("Fanta Samaké", "fanta.samake", 4, 3, "oumar.sangare", "en", ""),
    ("Alice Dupont", "alice.dupont", 3, 0, "fatoumata.coulibaly", "fr", ""),
    ("Lassana Sylla", "lassana.sylla", 2, 0, "fatoumata.coulibaly", "en", ""),
    ("Nouhoum Togola", "nouhoum.togola", 4, 0, "fatoumata.coulibaly", "en", ""),
    ("Ousmane Coulibaly", "ousmane.coulibaly", 4, 4, "seydou.dembele", "en", ""),
    ("Aïssata Berthé", "aissata.berthe", 4, 4, "seydou.dembele", "en", ""),
    ("Drissa Kanté", "drissa.kante", 4, 4, "seydou.dembele", "en", ""),
]

#: A community health worker with a basic phone and no e-mail: reminded by SMS only, she
#: answers "did it happen?" by replying to the text. (name, phone, level, team, supervisor,
#: language)
SMS_ONLY = ("Sitan Diakité", "+22376543210", 4, 4, "awa.konate", "fr")

EMAIL_DOMAIN = "example.org"
DEMO_PASSWORD = "learning-together"  # noqa: S105 - published demo sign-in

#: (kind, English name, French name)
ALIGNMENTS = [
    ("value", "Capacity building", "Renforcement des capacités"),
    ("value", "Collaboration over competition", "La collaboration plutôt que la concurrence"),
    ("value", "Quality of care", "Qualité des soins"),
    ("value", "Community ownership", "Appropriation communautaire"),
    ("priority", "Continuous quality improvement in partner health centres",
     "Amélioration continue de la qualité dans les centres de santé partenaires"),
    ("priority", "Learning from partner organisations",
     "Apprendre des organisations partenaires"),
    ("priority", "Using data for decisions", "Utiliser les données pour décider"),
]

#: Sign-ins printed by `pdplanner demo`: (what they show, email local part).
SHOWCASE = [
    ("Director (French)", "aminata.diallo"),
    ("HR and learning lead", "fatoumata.coulibaly"),
    ("Administrator", "ibrahim.keita"),
    ("Supervisor", "claire.martin"),
    ("Field staff (French)", "kadiatou.diarra"),
]

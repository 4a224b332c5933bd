"""Landscape of the three seed regions, distilled from shared/seeds (sources noted per item)."""

REGIONS = [
    # ------------------------------------------------------------------------------------------
    # Zuid-Holland Zuid.
    # Sources: seeds/000_5b50fe1fcff9c3cb.txt (slides inkoopstrategie 2022: the 7 segments with
    # beschrijving, ontwikkelopgave, bekostiging, inkoop) and seeds/001_82590637f791f26b.txt
    # (letter of 17 Dec 2020 to "de 10 gemeenten in Zuid-Holland Zuid"; names Dordrecht,
    # Gorinchem, Hardinxveld-Giessendam and Hoeksche Waard). The seeds do not list all ten
    # municipalities by name: the list below is the ZHZ membership as of 2020 (after the 2019
    # mergers into Hoeksche Waard and Molenlanden), which matches "10 gemeenten".
    # ------------------------------------------------------------------------------------------
    {
        "slug": "zhz",
        "name": "Zuid-Holland Zuid",
        "contracting_authority": "Dienst Gezondheid & Jeugd ZHZ (Serviceorganisatie Jeugd ZHZ)",
        "municipalities": [
            ("GM0482", "Alblasserdam"),
            ("GM0505", "Dordrecht"),
            ("GM0512", "Gorinchem"),
            ("GM0523", "Hardinxveld-Giessendam"),
            ("GM0531", "Hendrik-Ido-Ambacht"),
            ("GM1963", "Hoeksche Waard"),
            ("GM1978", "Molenlanden"),
            ("GM0590", "Papendrecht"),
            ("GM0610", "Sliedrecht"),
            ("GM0642", "Zwijndrecht"),
        ],
        # Catalogue fitted to the seven segments of seed 000 (not a list from the seed itself).
        "care_forms": [
            (
                "BEGL",
                "Begeleiding",
                "Individuele of groepsbegeleiding gericht op zelfredzaamheid, ontwikkeling en "
                "het ondersteunen van ouders bij problematische opvoedingssituaties.",
            ),
            (
                "BEH",
                "Ambulante behandeling en diagnostiek",
                "Onderzoek en diagnostiek (zo nodig) en kortdurende, doelgerichte ambulante of "
                "poliklinische behandeling (jeugd- en opvoedhulp, jeugd-GGZ, LVB).",
            ),
            (
                "DYS",
                "Enkelvoudige dyslexie",
                "Diagnostiek en behandeling van ernstige, enkelvoudige dyslexie (EED) bij "
                "basisschoolleerlingen.",
            ),
            (
                "INTAMB",
                "Intensieve ambulante behandeling",
                "Intensieve, gezinsgerichte ambulante behandeling als alternatief (substituut) "
                "voor verblijf bij zware, meervoudige problematiek.",
            ),
            (
                "VERBB",
                "Verblijf met behandeling",
                "Intramurale (klinische of residentiële) behandeling voor jeugdigen met zeer "
                "zware, meervoudige problematiek.",
            ),
            (
                "PLZ",
                "Pleegzorg",
                "Opvoeding van een jeugdige in een pleeggezin, in voltijd of deeltijd, met "
                "begeleiding van het pleeggezin.",
            ),
            (
                "GZH",
                "Gezinshuis",
                "Kleinschalige woonvorm waarin gezinshuisouders jeugdigen die niet thuis kunnen "
                "wonen opvoeden en begeleiden.",
            ),
            (
                "VERB",
                "Verblijf zonder behandeling",
                "Wonen buiten het gezin met begeleiding (leefgroep, kamertraining) en logeren "
                "of deeltijdverblijf ter ontlasting van het gezin.",
            ),
            (
                "DBH",
                "Dagbehandeling (MKD en KDC)",
                "Behandeling in groepsverband per dagdeel in een medisch kinderdagverblijf "
                "(MKD) of kinderdagcentrum (KDC), met observatie en diagnostiek.",
            ),
            (
                "DBS",
                "Dagbesteding",
                "Gestructureerde dagactiviteiten in groepsverband voor jeugdigen die (tijdelijk) "
                "niet naar school of werk kunnen.",
            ),
            (
                "BSOP",
                "BSO+",
                "Naschoolse opvang binnen de reguliere kinderopvang met inzet van deskundigheid "
                "van jeugdhulpaanbieders (begeleiding en/of behandeling).",
            ),
            (
                "CRIS",
                "Crisishulp",
                "Kortdurende hulp bij een urgente of acute situatie: ambulante "
                "crisisinterventie en crisisopvang, met beschikbaarheid van een crisisdienst.",
            ),
            (
                "JBJR",
                "Jeugdbescherming en jeugdreclassering",
                "Uitvoering van kinderbeschermings- en jeugdreclasseringsmaatregelen door een "
                "gecertificeerde instelling, en ondersteuning van jeugdprofessionals in het "
                "vrijwillig kader (Veilig opgroeien is teamwerk).",
            ),
            (
                "OZA",
                "Onderwijs-zorgarrangement",
                "Jeugdhulp op of rond school, in combinatie met (speciaal) onderwijs, voor "
                "leerplichtige kinderen die (tijdelijk) niet mee kunnen komen in het onderwijs.",
            ),
        ],
        "segments": [
            {
                "code": "1",
                "name": "Hoog specialistisch",
                "description": (
                    "Jeugdigen met zeer zware (meervoudige) problematiek die op meerdere domeinen "
                    "van hun leven problemen ervaren (gezin, school, welzijn). Het gaat vaak om "
                    "dure en langdurige trajecten, zoals intramurale behandeling en intensieve "
                    "ambulante alternatieven voor verblijf. Inkoop: bestuurlijk partnerschap met "
                    "één (of twee) samenwerkingsverbanden van de belangrijkste aanbieders, die "
                    "vanuit één diagnostiek integrale jeugdhulp bieden; langdurig contract "
                    "(4 tot 6 jaar). Bekostiging: inspanningsgericht (PxQ) en waar nodig "
                    "taakgericht, met het budget en de af te spreken kostendaling als uitgangspunt "
                    "(afnemende lumpsum)."
                ),
                "target_group": (
                    "Jeugdigen met zeer zware, meervoudige problematiek op meerdere levensdomeinen "
                    "die intramurale behandeling of een intensief ambulant alternatief voor "
                    "verblijf nodig hebben."
                ),
                "development_assignments": (
                    "Een samenwerking creëren tussen een beperkt aantal aanbieders die "
                    "eigenaarschap nemen over de problematiek van de jeugdige. Aanbieders zijn "
                    "integraal verantwoordelijk; de jeugdhulp wordt geboden door één (of twee) "
                    "samenwerkingsverbanden op basis van bestuurlijk partnerschap. Een "
                    "gezamenlijke, gespecialiseerde toegang met casusregie en aansluiting op "
                    "gemeentelijke diensten (schuldhulpverlening, wonen, welzijn en inkomen). "
                    "Monitoring op het verlagen van de gemiddelde kosten per cliënt."
                ),
                "care_forms": ["VERBB", "INTAMB", "BEH"],
                "children": [],
            },
            {
                "code": "2",
                "name": "Wonen",
                "description": (
                    "Als de thuissituatie geen veilige of passende woonomgeving voor een kind of "
                    "jongere is, wordt een alternatieve, passende woonvorm gezocht die zo lang "
                    "als nodig als thuis fungeert (pleegzorg, gezinshuis, wonen met begeleiding). "
                    "Inkoop: SAS-procedure voor de bestaande aanbieders; 4 à 5 gecontracteerde "
                    "aanbieders worden geselecteerd als strategisch partner. Bekostiging: "
                    "inspanningsgericht (PxQ) met reële (dag)tarieven en waar nodig taakgericht "
                    "voor beschikbaarheid."
                ),
                "target_group": (
                    "Kinderen en jongeren voor wie de thuissituatie (tijdelijk) geen veilige of "
                    "passende woonomgeving is."
                ),
                "development_assignments": (
                    "Uithuisplaatsingen voorkomen, in één keer een goede plaatsing, meer deeltijd "
                    "(logeren) en minder voltijd, en een uitbreiding van gedifferentieerd aanbod. "
                    "De geboden hulp sluit beter aan bij de leefwereld van de jeugdige en bij de "
                    "ouders, ook bij een uithuisplaatsing. De deskundigheid wordt passend en "
                    "tijdig naar de jeugdige en het gezin gebracht."
                ),
                "care_forms": ["PLZ", "GZH", "VERB"],
                "children": [],
            },
            {
                "code": "3",
                "name": "Dagbesteding en dagbehandeling",
                "description": (
                    "Dagbehandeling, dagbesteding en aangepaste opvang voor kinderen die (nog) "
                    "niet terechtkunnen in de reguliere kinderopvang, BSO of het onderwijs. "
                    "Bestaat uit de deelsegmenten 3a (MKD en KDC), 3b (BSO+) en 3c; de "
                    "contractering van deze deelsegmenten hangt samen met segment 7. Inkoop: "
                    "SAS-procedure met onderhandeling, waarin een beperkt aantal partijen wordt "
                    "geselecteerd."
                ),
                "target_group": (
                    "Jonge en schoolgaande kinderen met (ernstige meervoudige) beperkingen, "
                    "ontwikkelings- of opgroeiproblemen die dagbehandeling, dagbesteding of "
                    "aangepaste opvang nodig hebben."
                ),
                "development_assignments": (
                    "Normaliseren en demedicaliseren; hulp zoveel mogelijk binnen de reguliere "
                    "kinderopvang en het onderwijs organiseren; goede triage bij instroom en bij "
                    "overgangen naar onderwijs, KDC en Wlz; samenhang tussen 3a, 3b, 3c en "
                    "segment 7."
                ),
                "care_forms": ["DBH", "DBS", "BSOP", "OZA"],
                "children": [
                    {
                        "code": "3a",
                        "name": (
                            "Kinderen met (ernstige meervoudige) beperkingen en/of "
                            "opgroeiproblemen (MKD en KDC)"
                        ),
                        "description": (
                            "Medisch kinderdagverblijf (MKD) en kinderdagcentrum (KDC) voor "
                            "kinderen met (ernstige meervoudige) beperkingen en/of "
                            "opgroeiproblemen, bij wie soms nog niet duidelijk is wat het "
                            "(ontwikkel)perspectief is. De uitstroom is eventueel naar regulier "
                            "of speciaal onderwijs, of naar beschut werk. Bekostiging: "
                            "inspanningsgericht (PxQ) met reële (dag)tarieven. Inkoop: "
                            "SAS-procedure met onderhandeling, een beperkt aantal partijen; "
                            "samenhangend met 3b en 7/3c."
                        ),
                        "target_group": (
                            "Kinderen met (ernstige meervoudige) beperkingen en/of "
                            "opgroeiproblemen van wie het ontwikkelperspectief soms nog "
                            "onduidelijk is."
                        ),
                        "development_assignments": (
                            "MKD: normaliseren en demedicaliseren; opvang (BSO+) gecombineerd met "
                            "observatie, diagnostiek en behandeling; triage bij instroom, bij de "
                            "overgang naar onderwijs of KDC en bij de overgang naar de Wlz. "
                            "KDC: triage bij de overgang van opvang naar KDC; observatie, "
                            "diagnostiek en behandeling; een perspectiefplan volgens 1 gezin 1 "
                            "plan; triage bij de overgang naar speciaal onderwijs en bij "
                            "uitstroom naar de Wlz; urennorm onderwijs; samenwerking met "
                            "kinderopvang en BSO+."
                        ),
                        "care_forms": ["DBH", "DBS"],
                        "children": [],
                    },
                    {
                        "code": "3b",
                        "name": "BSO+",
                        "description": (
                            "Voor kinderen die naschoolse opvang nodig hebben, maar niet bij de "
                            "reguliere BSO terechtkunnen. De BSO+ biedt binnen de reguliere "
                            "kinderopvang, met inzet van deskundigheid van aanbieders, een "
                            "laagdrempelige vorm van opvang in combinatie met begeleiding en/of "
                            "behandeling. Bekostiging: taakgericht. Inkoop: SAS-procedure met "
                            "onderhandeling, een beperkt aantal partijen; samenhangend met 3a en "
                            "7/3c."
                        ),
                        "target_group": (
                            "Schoolgaande kinderen die naschoolse opvang nodig hebben maar niet "
                            "bij de reguliere BSO terechtkunnen."
                        ),
                        "development_assignments": (
                            "Kinderen besteden hun vrije tijd op een leuke, gestructureerde en "
                            "zinvolle manier en vergroten hun sociaal-emotionele vaardigheden, "
                            "zodat ernstigere problemen en intensievere vormen van hulp worden "
                            "voorkomen. Van individuele interventies naar groepsinterventies, en "
                            "van opvang bij aanbieders naar opvang binnen de reguliere "
                            "kinderopvang met inzet van aanbieders."
                        ),
                        "care_forms": ["BSOP"],
                        "children": [],
                    },
                    # UNCERTAIN: seed 000 mentions 3c only as "7/3c" (contracted together with
                    # segment 7). Name and scope below are inferred from that link.
                    {
                        "code": "3c",
                        "name": "Onderwijs-zorgcombinaties (in samenhang met segment 7)",
                        "description": (
                            "Dagbehandeling en jeugdhulp in combinatie met (speciaal) onderwijs. "
                            "De bron noemt dit deelsegment alleen als '7/3c': het wordt samen "
                            "met segment 7 gecontracteerd en hangt samen met 3a en 3b."
                        ),
                        "target_group": (
                            "Leerplichtige kinderen die naast onderwijs dagbehandeling of "
                            "intensieve jeugdhulp op of rond school nodig hebben."
                        ),
                        "development_assignments": (
                            "Hulp zo dicht mogelijk bij en samen met het (passend) onderwijs "
                            "organiseren; schooluitval voorkomen en werken aan terugkeer naar "
                            "regulier of passend onderwijs; afstemming met 3a (urennorm "
                            "onderwijs) en 3b."
                        ),
                        "care_forms": ["OZA", "DBH"],
                        "children": [],
                    },
                ],
            },
            {
                "code": "4",
                "name": "Specialistisch veel voorkomend",
                "description": (
                    "Veel voorkomende, specialistische zorg voor jeugdigen met enkelvoudige of "
                    "kortdurende problematiek: ambulante en/of poliklinische hulp, vaak gericht op "
                    "het verbeteren van of ondersteunen bij problematische opvoedingssituaties. "
                    "Gesplitst in 4a Jeugdhulp lokaal (algemene voorziening, taakgericht, via "
                    "begrotingssubsidie) en 4b Jeugdhulp regionaal (PxQ, via SAS-procedure)."
                ),
                "target_group": (
                    "Jeugdigen en gezinnen met enkelvoudige of kortdurende problematiek, vaak "
                    "rond problematische opvoedingssituaties."
                ),
                "development_assignments": (
                    "De interventies dragen bij aan normaliseren, demedicaliseren en herstel van "
                    "de balans in de opvoedsituatie met passende hulp. Ze vinden dichtbij het "
                    "gezin plaats, pas nadat met het gezin en betrokken partners (onderwijs, JGZ, "
                    "behandelaren van ouders) een actieplan met het perspectief van het gezin is "
                    "opgesteld. Onderzoek en diagnostiek (zo nodig), begeleiding en behandeling "
                    "zijn doelgericht, samenhangend, domeinoverstijgend, kortdurend, dichtbij de "
                    "leefwereld van het gezin en activerend. Daarvoor nodig: lokale samenwerking "
                    "tussen toegang, gemeenten, aanbieders en huisartsen; expertise naar voren; "
                    "de perspectiefbenadering; 1 gezin 1 plan, ook voor aanbieders; samenhang met "
                    "andere segmenten en opschalen naar segment 1 voorkomen; ruimte om cliënten "
                    "al in het voorliggend veld te ondersteunen; de huisartsenroute aanpassen; "
                    "voorspelbaar maken welke zorg in het voorliggend veld valt; een cultuuromslag "
                    "naar samen resultaat bereiken; ouders als ervaringsdeskundigen voor elkaar "
                    "inzetten."
                ),
                "care_forms": ["BEGL", "BEH", "DYS"],
                "children": [
                    {
                        "code": "4a",
                        "name": "Jeugdhulp lokaal",
                        "description": (
                            "Laagdrempelige jeugdhulp dichtbij het gezin, georganiseerd als "
                            "algemene voorziening zonder beschikking. Bekostiging: taakgericht. "
                            "Inkoop: begrotingssubsidie."
                        ),
                        "target_group": (
                            "Gezinnen en jeugdigen met veel voorkomende opvoed- en "
                            "opgroeivragen die zonder verwijzing lokaal geholpen kunnen worden."
                        ),
                        "development_assignments": (
                            "De algemene voorziening moet echt een algemene voorziening zijn en "
                            "mag niet lijken op de diensten die in 4b zijn gecontracteerd. "
                            "Risico's beheersen: nieuw aanbod kan nieuwe vraag creëren, en het "
                            "naar voren halen van jeugdhulp heeft nog niet aantoonbaar tot minder "
                            "jeugdhulp geleid. Daarom goede beheersmaatregelen: KPI's en "
                            "monitoring, en afspraken met huisartsen en toegang over "
                            "doorverwijzen. Juridisch: de jurisprudentie is in ontwikkeling, dus "
                            "geen één-op-één-hulp aanbieden."
                        ),
                        "care_forms": ["BEGL"],
                        "children": [],
                    },
                    {
                        "code": "4b",
                        "name": "Jeugdhulp regionaal",
                        "description": (
                            "Niet vrij toegankelijke, specialistische ambulante en poliklinische "
                            "jeugdhulp (begeleiding, behandeling, diagnostiek, dyslexie) die "
                            "regionaal wordt ingekocht. Bekostiging: inspanningsgericht (PxQ). "
                            "Inkoop: SAS-procedure met beheersing van het aantal aanbieders, "
                            "zoals het inkoopkader vraagt."
                        ),
                        "target_group": (
                            "Jeugdigen met enkelvoudige of kortdurende problematiek die na "
                            "verwijzing specialistische ambulante hulp nodig hebben."
                        ),
                        "development_assignments": (
                            "Grip op het aantal aanbieders met behoud van keuzevrijheid, "
                            "inclusief identiteitsgebonden zorg; kortdurende, doelgerichte inzet; "
                            "op- en afschalen in samenhang met 4a en segment 1."
                        ),
                        "care_forms": ["BEGL", "BEH", "DYS"],
                        "children": [],
                    },
                ],
            },
            {
                "code": "5",
                "name": "Crisisinterventies",
                "description": (
                    "Alle jeugdigen die te maken krijgen met een urgente of crisissituatie. "
                    "Crisis is per definitie kortdurend. Bekostiging: hybride, deels "
                    "beschikbaarheid en deels gebruik (inspanningsgericht)."
                ),
                "target_group": "Jeugdigen en gezinnen in een urgente of acute crisissituatie.",
                "development_assignments": (
                    "Aanbieders zijn gezamenlijk verantwoordelijk voor crisishulp, inclusief "
                    "informatie over preventie en het voorkomen van crisis, en voor de inzet van "
                    "(ambulante) crisishulp. Jongeren stromen vanuit de crisishulp zo snel "
                    "mogelijk door naar passend zorgaanbod."
                ),
                "care_forms": ["CRIS"],
                "children": [],
            },
            {
                "code": "6",
                "name": "Gecertificeerde Instellingen (GI)",
                "description": (
                    "GI's zijn van overheidswege gecertificeerd om jeugdbeschermings- (JB) en "
                    "jeugdreclasseringsmaatregelen (JR) uit te voeren. Elders voeren zij ook "
                    "preventieve jeugdbescherming (drang) uit; in ZHZ is dat vervangen door "
                    "'Veilig opgroeien is teamwerk', waarin GI's de jeugdprofessionals in het "
                    "vrijwillig kader ondersteunen. Bekostiging: inspanningsgericht (PxQ) voor JB "
                    "en JR en waar nodig taakgericht voor instandhouding; de ondersteuning in het "
                    "vrijwillig kader via subsidie op basis van beschikbaarheid. Inkoop: "
                    "SAS-procedure met ruimte voor het toelaten van een extra GI; pilots kunnen "
                    "aan het inkooptraject worden toegevoegd."
                ),
                "target_group": (
                    "Jeugdigen met een kinderbeschermingsmaatregel (ondertoezichtstelling, "
                    "voogdij) of een jeugdreclasseringsmaatregel, en hun gezinnen."
                ),
                "development_assignments": (
                    "Een strategische samenwerking van GI's, gemeenten (sociaal domein breed) en "
                    "een aantal jeugdhulpaanbieders voor de veiligheid van het kind, het "
                    "voorkomen van escalatie en waar mogelijk van onnodige kosten. "
                    "Jeugdbescherming en jeugdreclassering lokaal organiseren met vaste "
                    "contactpersonen die samenwerken met het sociaal team en een aantal vaste "
                    "jeugdhulpaanbieders. Toewerken naar minder en kortere gedwongen maatregelen "
                    "en minder uithuisplaatsingen, vanuit normaliseren, demedicaliseren en de "
                    "perspectiefbenadering. Starten met een pilot in 1 à 2 gemeenten en die "
                    "geleidelijk uitbreiden naar de andere gemeenten."
                ),
                "care_forms": ["JBJR"],
                "children": [],
            },
            {
                "code": "7",
                "name": "Jeugdhulp onderwijs",
                "description": (
                    "Kinderen die leerplichtig zijn maar niet op school terechtkunnen: kinderen "
                    "die door hun beperking, gedrag of stoornis (tijdelijk) niet mee kunnen komen "
                    "in het gewone of speciaal onderwijs. Bekostiging: taakgericht. De "
                    "contractering hangt samen met de segmenten 3a en 3b."
                ),
                "target_group": (
                    "Leerplichtige kinderen die door hun beperking, gedrag of stoornis (tijdelijk) "
                    "niet mee kunnen komen in het gewone of speciaal onderwijs."
                ),
                "development_assignments": (
                    "Schooluitval voorkomen; de hulp aan deze kinderen zo nodig tijdelijk inzetten "
                    "en altijd werken aan terugkeer naar regulier of passend onderwijs. De hulp "
                    "wordt zo dicht mogelijk bij en in samenwerking met het (passend) onderwijs "
                    "georganiseerd (scholen en leerplicht)."
                ),
                "care_forms": ["OZA"],
                "children": [],
            },
        ],
        # ILLUSTRATIVE: the seeds name no municipality that opts out of a ZHZ segment. These two
        # exceptions are plausible examples based on the zienswijzen in seed 001 (Dordrecht and
        # Hardinxveld-Giessendam want room to organise care locally); they are not facts.
        "participation": [
            (
                "GM0505",
                "4a",
                "none",
                "Illustratief: Dordrecht organiseert laagdrempelige jeugdhulp zelf via het eigen "
                "voorliggend veld en neemt niet deel aan de regionale begrotingssubsidie "
                "Jeugdhulp lokaal.",
            ),
            (
                "GM0523",
                "4a",
                "partial",
                "Illustratief: Hardinxveld-Giessendam neemt Jeugdhulp lokaal af voor opvoed- en "
                "gezinsondersteuning, maar organiseert de jeugdhulp op school zelf lokaal.",
            ),
        ],
        # Illustrative iJw-style product codes (category + letter + number); not ZHZ's real list.
        "products": [
            # Begeleiding
            {
                "code": "45A01",
                "name": "Begeleiding individueel",
                "care_form": "BEGL",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "45A02",
                "name": "Begeleiding groep",
                "care_form": "BEGL",
                "category": "45",
                "unit": "16",
            },
            {
                "code": "45A03",
                "name": "Begeleiding specialistisch individueel",
                "care_form": "BEGL",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "45A04",
                "name": "Jeugdhulp lokaal (taakgericht budget)",
                "care_form": "BEGL",
                "category": "45",
                "unit": "83",
            },
            # Ambulante behandeling en diagnostiek
            {
                "code": "45B01",
                "name": "Behandeling individueel jeugd- en opvoedhulp",
                "care_form": "BEH",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "45B02",
                "name": "Behandeling groep",
                "care_form": "BEH",
                "category": "45",
                "unit": "16",
            },
            {
                "code": "45B03",
                "name": "Onderzoek en diagnostiek",
                "care_form": "BEH",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "54A01",
                "name": "Jeugd-GGZ behandeling specialistisch",
                "care_form": "BEH",
                "category": "54",
                "unit": "01",
            },
            {
                "code": "54A02",
                "name": "Jeugd-GGZ behandeling basis",
                "care_form": "BEH",
                "category": "54",
                "unit": "01",
            },
            # Enkelvoudige dyslexie
            {
                "code": "54D01",
                "name": "Dyslexie diagnostiek (traject)",
                "care_form": "DYS",
                "category": "54",
                "unit": "82",
            },
            {
                "code": "54D02",
                "name": "Dyslexie behandeling (traject)",
                "care_form": "DYS",
                "category": "54",
                "unit": "82",
            },
            # Intensieve ambulante behandeling
            {
                "code": "45C01",
                "name": "Intensieve ambulante gezinsbehandeling",
                "care_form": "INTAMB",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "50A01",
                "name": "Integraal arrangement hoog specialistisch (lumpsum)",
                "care_form": "INTAMB",
                "category": "50",
                "unit": "83",
            },
            # Verblijf met behandeling
            {
                "code": "43A01",
                "name": "Verblijf met behandeling residentieel",
                "care_form": "VERBB",
                "category": "43",
                "unit": "14",
            },
            {
                "code": "43A02",
                "name": "Verblijf met behandeling deeltijd",
                "care_form": "VERBB",
                "category": "43",
                "unit": "14",
            },
            {
                "code": "43A03",
                "name": "Klinische behandeling jeugd-GGZ",
                "care_form": "VERBB",
                "category": "43",
                "unit": "14",
            },
            # Pleegzorg
            {
                "code": "44A01",
                "name": "Pleegzorg voltijd",
                "care_form": "PLZ",
                "category": "44",
                "unit": "14",
            },
            {
                "code": "44A02",
                "name": "Pleegzorg deeltijd",
                "care_form": "PLZ",
                "category": "44",
                "unit": "14",
            },
            # Gezinshuis
            {
                "code": "43B01",
                "name": "Gezinshuis",
                "care_form": "GZH",
                "category": "43",
                "unit": "14",
            },
            # Verblijf zonder behandeling
            {
                "code": "44B01",
                "name": "Wonen met begeleiding (leefgroep)",
                "care_form": "VERB",
                "category": "44",
                "unit": "14",
            },
            {
                "code": "44B02",
                "name": "Logeren (deeltijdverblijf)",
                "care_form": "VERB",
                "category": "44",
                "unit": "14",
            },
            {
                "code": "44B03",
                "name": "Kamertraining",
                "care_form": "VERB",
                "category": "44",
                "unit": "14",
            },
            # Dagbehandeling
            {
                "code": "41A01",
                "name": "Dagbehandeling MKD",
                "care_form": "DBH",
                "category": "41",
                "unit": "16",
            },
            {
                "code": "41A02",
                "name": "Dagbehandeling KDC",
                "care_form": "DBH",
                "category": "41",
                "unit": "16",
            },
            # Dagbesteding
            {
                "code": "45E01",
                "name": "Dagbesteding groep",
                "care_form": "DBS",
                "category": "45",
                "unit": "16",
            },
            # BSO+
            {
                "code": "45F01",
                "name": "BSO+ (taakgericht budget)",
                "care_form": "BSOP",
                "category": "45",
                "unit": "83",
            },
            # Crisishulp
            {
                "code": "46A01",
                "name": "Ambulante crisisinterventie",
                "care_form": "CRIS",
                "category": "46",
                "unit": "04",
            },
            {
                "code": "46A02",
                "name": "Crisisopvang (verblijf)",
                "care_form": "CRIS",
                "category": "46",
                "unit": "14",
            },
            {
                "code": "46A03",
                "name": "Beschikbaarheid crisisdienst",
                "care_form": "CRIS",
                "category": "46",
                "unit": "83",
            },
            # Jeugdbescherming en jeugdreclassering
            {
                "code": "48A01",
                "name": "Ondertoezichtstelling",
                "care_form": "JBJR",
                "category": "48",
                "unit": "14",
            },
            {
                "code": "48A02",
                "name": "Voogdij",
                "care_form": "JBJR",
                "category": "48",
                "unit": "14",
            },
            {
                "code": "47A01",
                "name": "Jeugdreclassering",
                "care_form": "JBJR",
                "category": "47",
                "unit": "14",
            },
            {
                "code": "49A01",
                "name": "Veilig opgroeien is teamwerk (beschikbaarheid)",
                "care_form": "JBJR",
                "category": "49",
                "unit": "83",
            },
            # Onderwijs-zorgarrangement
            {
                "code": "45G01",
                "name": "Onderwijs-zorgarrangement (taakgericht budget)",
                "care_form": "OZA",
                "category": "45",
                "unit": "83",
            },
            {
                "code": "41B01",
                "name": "Dagbehandeling in combinatie met onderwijs",
                "care_form": "OZA",
                "category": "41",
                "unit": "16",
            },
        ],
    },
    # ------------------------------------------------------------------------------------------
    # West-Brabant Oost.
    # Source: seeds/002_3de91c97b71cf578.txt (Inkoopstrategie Jeugdhulp Regio WBO vanaf 2023):
    # the five municipalities (voorwoord, ch. 1), the 13 jeugdhulpvormen (ch. 5), the scope and
    # the separately bought forms (ch. 5 "Reikwijdte"), the six ontwikkelopgaven (ch. 6), the
    # procedure (ch. 8), task-based funding (ch. 9) and the 2021 figures (ch. 2).
    # ------------------------------------------------------------------------------------------
    {
        "slug": "wbo",
        "name": "West-Brabant Oost",
        "contracting_authority": (
            "Team WBO (Regio West-Brabant Oost, namens de gemeenten Altena, Breda, Drimmelen, "
            "Geertruidenberg en Oosterhout)"
        ),
        "municipalities": [
            ("GM1959", "Altena"),
            ("GM0758", "Breda"),
            ("GM1719", "Drimmelen"),
            ("GM0779", "Geertruidenberg"),
            ("GM0826", "Oosterhout"),
        ],
        # Exactly the 13 jeugdhulpvormen of seed 002, ch. 5 (names verbatim). A strategic partner
        # must be able to deliver at least 10 of them (75%). The separately bought segments 2-5
        # fall outside this list and therefore carry no care forms here.
        "care_forms": [
            (
                "SGGZ",
                "Specialistische GGZ",
                "Diagnostiek en behandeling van complexe psychische stoornissen bij jeugdigen.",
            ),
            (
                "BGGZ",
                "Basis GGZ en/of individuele behandeling",
                "Kortdurende behandeling van lichte tot matige psychische problemen en "
                "individuele (ortho)pedagogische of psychologische behandeling.",
            ),
            (
                "DBH",
                "Dagbehandeling",
                "Behandeling in groepsverband per dagdeel, vaak in combinatie met of ter "
                "vervanging van onderwijs.",
            ),
            (
                "DBS",
                "Dagbesteding",
                "Gestructureerde dagactiviteiten in groepsverband voor jeugdigen die niet "
                "(volledig) naar school of werk kunnen.",
            ),
            (
                "BEGL",
                "Begeleiding",
                "Individuele of groepsbegeleiding gericht op zelfredzaamheid en ontwikkeling van "
                "de jeugdige en ondersteuning van de ouders.",
            ),
            (
                "PV",
                "Persoonlijke verzorging",
                "Hulp bij algemene dagelijkse levensverrichtingen zoals wassen, aankleden en eten.",
            ),
            (
                "LOG",
                "Logeren",
                "Kortdurend verblijf buiten het gezin ter ontlasting van de ouders (respijtzorg).",
            ),
            (
                "DYS",
                "Enkelvoudige dyslexie",
                "Diagnostiek en behandeling van ernstige, enkelvoudige dyslexie (EED) bij "
                "basisschoolleerlingen.",
            ),
            (
                "VAKT",
                "Vaktherapie",
                "Beeldende, muziek-, drama-, speel- of psychomotorische therapie.",
            ),
            (
                "MST",
                "MST",
                "Multisysteemtherapie: intensieve, gezinsgerichte behandeling thuis voor "
                "jongeren met ernstig antisociaal of delinquent gedrag.",
            ),
            (
                "VERB",
                "Verblijfszorg",
                "Verblijf buiten het gezin met of zonder behandeling (leefgroep, residentieel); "
                "gezinshuizen en gesloten jeugdhulp vallen hier buiten.",
            ),
            (
                "CRIS",
                "Crisiszorg",
                "Directe hulp bij een acute crisis, ambulant of met crisisverblijf.",
            ),
            (
                "PLZ",
                "Pleegzorg",
                "Opvoeding van een jeugdige in een pleeggezin, in voltijd of deeltijd, met "
                "begeleiding van het pleeggezin.",
            ),
        ],
        "segments": [
            {
                "code": "1",
                "name": "Integrale jeugdhulpopdracht (strategisch partnerschap)",
                "description": (
                    "Ontschotte opdracht voor niet vrij toegankelijke jeugdhulp binnen de "
                    "categorieën ontwikkeling, ondersteuning, pleegzorg, verblijfszorg en "
                    "crisiszorg. De regio contracteert maximaal 20 strategische partners (een "
                    "aanbieder of een samenwerkingsverband) die zonder inzet van andere "
                    "aanbieders minimaal 10 van de 13 jeugdhulpvormen kunnen leveren; samen "
                    "zorgen zij voor een dekkend jeugdhulplandschap in alle vijf gemeenten. "
                    "Inkoop: SAS-procedure met onderhandelingsfase; de 20 best scorende "
                    "gegadigden gaan door naar de onderhandeling; beoordeling op kwaliteit, het "
                    "tarief stelt de regio vast. Contracten van 5 jaar met tweemaal een "
                    "verlengingsoptie van 1 jaar. Bekostiging: taakgericht, een (jaarlijks) "
                    "budget per strategisch partner dat periodiek wordt herijkt; acceptatieplicht "
                    "voor elke toegewezen jeugdige. In 2021: ambulant 8.787 jeugdigen "
                    "(€ 38,5 mln), pleegzorg 352 (€ 3,75 mln), crisiszorg 74 (€ 630.000), "
                    "verblijfszorg 278."
                ),
                "target_group": (
                    "Jeugdigen en hun gezinnen in Altena, Breda, Drimmelen, Geertruidenberg en "
                    "Oosterhout die na verwijzing niet vrij toegankelijke jeugdhulp nodig hebben, "
                    "zonder onderscheid in doelgroep (GGZ, LVB, opvoed- en "
                    "opgroeiproblematiek); in een aantal gevallen tot 23 jaar."
                ),
                "development_assignments": (
                    "De zes ontwikkelopgaven uit de Regiovisie: 1. Zo thuis mogelijk; "
                    "2. Innovatiekracht; 3. Participatie jeugdigen; 4. Ervaringsdeskundigheid als "
                    "expertise; 5. Onderwijs en jeugd in verbinding; 6. Samenwerking, triage en "
                    "verwijzen. Daarnaast de doorontwikkeling naar zuiver taakgerichte "
                    "bekostiging, los van het huidige product- en tariefmodel, en naar een betere "
                    "en inzichtelijkere bedrijfsvoering. Partners nemen kleine lokale aanbieders "
                    "mee en organiseren de hulp zo dicht mogelijk bij de jeugdige."
                ),
                "care_forms": [
                    "SGGZ",
                    "BGGZ",
                    "DBH",
                    "DBS",
                    "BEGL",
                    "PV",
                    "LOG",
                    "DYS",
                    "VAKT",
                    "MST",
                    "VERB",
                    "CRIS",
                    "PLZ",
                ],
                "children": [],
            },
            {
                "code": "2",
                "name": "Gezinshuizen",
                "description": (
                    "Gezinshuiszorg valt buiten de integrale opdracht en wordt apart ingekocht "
                    "via een open-house-model, met een nieuwe aanbesteding per 1 januari 2023. "
                    "In 2021: 120 unieke jeugdigen, € 4,35 mln gedeclareerd."
                ),
                "target_group": (
                    "Jeugdigen die (tijdelijk of langdurig) niet thuis kunnen wonen en opgroeien "
                    "in een kleinschalige gezinsvorm met professionele gezinshuisouders."
                ),
                "development_assignments": (
                    "De inkoopstrategie noemt voor gezinshuizen geen eigen ontwikkelopgaven; de "
                    "ontwikkelopgave 'Zo thuis mogelijk' uit de Regiovisie is leidend."
                ),
                "care_forms": [],
                "children": [],
            },
            {
                "code": "3",
                "name": "JeugdzorgPlus (gesloten jeugdhulp)",
                "description": (
                    "Verblijfszorg in gesloten jeugdhulp valt buiten deze inkoop: lopende "
                    "contracten met ingang van 1 januari 2020 voor een periode van 4 jaar. "
                    "In 2021: 24 unieke jeugdigen, € 1,3 mln gedeclareerd."
                ),
                "target_group": (
                    "Jeugdigen met ernstige gedrags- of opgroeiproblemen die met een machtiging "
                    "van de kinderrechter in een gesloten setting worden geplaatst."
                ),
                "development_assignments": (
                    "Geen eigen ontwikkelopgaven in de inkoopstrategie; aansluiting op de "
                    "integrale opdracht bij op- en afschalen."
                ),
                "care_forms": [],
                "children": [],
            },
            {
                "code": "4",
                "name": "Gecertificeerde instellingen (JB/JR)",
                "description": (
                    "Jeugdbescherming en jeugdreclassering door gecertificeerde instellingen "
                    "vallen buiten deze inkoop: lopende contractering per 1 januari 2020 voor "
                    "4 jaar, exclusief verlengingsopties. GI's zijn ook wettelijk verwijzer naar "
                    "de integrale opdracht. In 2021: 818 unieke jeugdigen, € 4,7 mln."
                ),
                "target_group": (
                    "Jeugdigen met een kinderbeschermingsmaatregel of een "
                    "jeugdreclasseringsmaatregel, en hun gezinnen."
                ),
                "development_assignments": (
                    "Versterken van de verbinding tussen de toegangen en verwijzers, waaronder "
                    "het gedwongen kader en de rechterlijke macht (ontwikkelopgave Samenwerking, "
                    "triage en verwijzen)."
                ),
                "care_forms": [],
                "children": [],
            },
            {
                "code": "5",
                "name": "Landelijke functies (LTA)",
                "description": (
                    "Landelijke functies zoals opgenomen in het Landelijk Transitiearrangement "
                    "(VNG). Deze worden landelijk ingekocht en maken geen deel uit van de "
                    "regionale inkoop."
                ),
                "target_group": (
                    "Jeugdigen met zeer specialistische, weinig voorkomende hulpvragen waarvoor "
                    "landelijk gecontracteerd aanbod bestaat."
                ),
                "development_assignments": "Geen regionale ontwikkelopgaven; landelijk belegd.",
                "care_forms": [],
                "children": [],
            },
        ],
        # Seed 002 names no municipality that takes part only partly or not at all.
        "participation": [],
        # Products per jeugdhulpvorm. Seed 002: the region still uses the current products to set
        # each partner's task and budget; the codes here are illustrative iJw-style codes.
        "products": [
            {
                "code": "54A01",
                "name": "Specialistische jeugd-GGZ behandeling",
                "care_form": "SGGZ",
                "category": "54",
                "unit": "01",
            },
            {
                "code": "54A02",
                "name": "Specialistische jeugd-GGZ diagnostiek",
                "care_form": "SGGZ",
                "category": "54",
                "unit": "01",
            },
            {
                "code": "54B01",
                "name": "Basis GGZ (traject)",
                "care_form": "BGGZ",
                "category": "54",
                "unit": "82",
            },
            {
                "code": "45B01",
                "name": "Individuele behandeling",
                "care_form": "BGGZ",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "41A01",
                "name": "Dagbehandeling",
                "care_form": "DBH",
                "category": "41",
                "unit": "16",
            },
            {
                "code": "41A02",
                "name": "Dagbehandeling jonge kind",
                "care_form": "DBH",
                "category": "41",
                "unit": "16",
            },
            {
                "code": "45E01",
                "name": "Dagbesteding groep",
                "care_form": "DBS",
                "category": "45",
                "unit": "16",
            },
            {
                "code": "45A01",
                "name": "Begeleiding individueel",
                "care_form": "BEGL",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "45A02",
                "name": "Begeleiding groep",
                "care_form": "BEGL",
                "category": "45",
                "unit": "16",
            },
            {
                "code": "45A03",
                "name": "Begeleiding specialistisch",
                "care_form": "BEGL",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "40A01",
                "name": "Persoonlijke verzorging",
                "care_form": "PV",
                "category": "40",
                "unit": "04",
            },
            {
                "code": "44C01",
                "name": "Logeren",
                "care_form": "LOG",
                "category": "44",
                "unit": "14",
            },
            {
                "code": "54D01",
                "name": "Dyslexie diagnostiek (traject)",
                "care_form": "DYS",
                "category": "54",
                "unit": "82",
            },
            {
                "code": "54D02",
                "name": "Dyslexie behandeling (traject)",
                "care_form": "DYS",
                "category": "54",
                "unit": "82",
            },
            {
                "code": "45H01",
                "name": "Vaktherapie individueel",
                "care_form": "VAKT",
                "category": "45",
                "unit": "04",
            },
            {
                "code": "45H02",
                "name": "Vaktherapie groep",
                "care_form": "VAKT",
                "category": "45",
                "unit": "16",
            },
            {
                "code": "45M01",
                "name": "Multisysteemtherapie (traject)",
                "care_form": "MST",
                "category": "45",
                "unit": "82",
            },
            {
                "code": "43A01",
                "name": "Verblijf met behandeling",
                "care_form": "VERB",
                "category": "43",
                "unit": "14",
            },
            {
                "code": "44A01",
                "name": "Verblijf zonder behandeling",
                "care_form": "VERB",
                "category": "44",
                "unit": "14",
            },
            {
                "code": "46A01",
                "name": "Ambulante crisisinterventie",
                "care_form": "CRIS",
                "category": "46",
                "unit": "04",
            },
            {
                "code": "46A02",
                "name": "Crisisverblijf",
                "care_form": "CRIS",
                "category": "46",
                "unit": "14",
            },
            {
                "code": "44P01",
                "name": "Pleegzorg voltijd",
                "care_form": "PLZ",
                "category": "44",
                "unit": "14",
            },
            {
                "code": "44P02",
                "name": "Pleegzorg deeltijd",
                "care_form": "PLZ",
                "category": "44",
                "unit": "14",
            },
        ],
    },
    # ------------------------------------------------------------------------------------------
    # Amsterdam-Amstelland en Zaanstreek-Waterland.
    # Source: seeds/004_bc6e1da135b136d3.txt (Inkoopstrategie Specialistische Jeugdhulp 2017 e.v.,
    # vastgesteld in het Pho op 3 februari 2016): segments A/B/C with shares (§1.6), the
    # regie/hoofdaannemer table (§2.3), the kwetsbare functies of segment C (§3.2), the 10
    # ondersteuningsprofielen (§3.2, bijlage 1) and the 4 intensities.
    # The seed speaks of "14 samenwerkende gemeenten" (earlier 15) but does not name them; the
    # list below is the 2016/2017 membership: Zeevang merged into Edam-Volendam on 1 Jan 2016
    # (15 -> 14). Beemster (GM0370) merged into Purmerend on 1 Jan 2022; its historical code is
    # kept because the seed is from 2016/2017.
    # ------------------------------------------------------------------------------------------
    {
        "slug": "ams",
        "name": "Amsterdam-Amstelland en Zaanstreek-Waterland",
        # The seed names only the Portefeuillehoudersoverleg (Pho) of both regions; the executing
        # body is assumed.
        "contracting_authority": (
            "Gemeente Amsterdam, namens de 14 samenwerkende gemeenten van Amsterdam-Amstelland "
            "en Zaanstreek-Waterland (Pho Jeugd)"
        ),
        "municipalities": [
            # Amsterdam-Amstelland
            ("GM0358", "Aalsmeer"),
            ("GM0362", "Amstelveen"),
            ("GM0363", "Amsterdam"),
            ("GM0384", "Diemen"),
            ("GM0437", "Ouder-Amstel"),
            ("GM0451", "Uithoorn"),
            # Zaanstreek-Waterland
            ("GM0370", "Beemster"),
            ("GM0385", "Edam-Volendam"),
            ("GM0415", "Landsmeer"),
            ("GM0431", "Oostzaan"),
            ("GM0439", "Purmerend"),
            ("GM0852", "Waterland"),
            ("GM0880", "Wormerland"),
            ("GM0479", "Zaanstad"),
        ],
        # Small catalogue from the seed's wording: the old "kokers" GGZ, LVB and jeugd- en
        # opvoedhulp (§1.2), the kwetsbare functies of segment C (§3.2), pleegzorg and respijtzorg
        # (bijlage 1) and the onderwijs-jeugdhulp voorzieningen (§1.7).
        "care_forms": [
            (
                "JOH",
                "Ambulante jeugd- en opvoedhulp",
                "Ambulante hulp bij opvoed- en opgroeiproblemen, gericht op het gezin.",
            ),
            (
                "GGZ",
                "Ambulante jeugd-GGZ",
                "Diagnostiek en ambulante behandeling van psychische problemen bij jeugdigen.",
            ),
            (
                "LVB",
                "Ambulante LVB-hulp",
                "Begeleiding en behandeling van jeugdigen met een licht verstandelijke beperking "
                "en ondersteuning van hun ouders.",
            ),
            (
                "PLZ",
                "Pleegzorg",
                "Opvoeding van een jeugdige in een pleeggezin, met begeleiding van het pleeggezin.",
            ),
            (
                "RESP",
                "Respijtzorg",
                "Tijdelijke overname van de zorg (bijvoorbeeld logeren) om ouders en gezin te "
                "ontlasten.",
            ),
            (
                "CRIS",
                "Spoedeisende hulp",
                "Acute hulp bij een crisis (intensiteit Acuut, maximaal 14 dagen), voorbehouden "
                "aan een aantal geselecteerde partners.",
            ),
            (
                "VERB24",
                "24-uursverblijf jeugd- en opvoedhulp",
                "Kwetsbare functie: residentieel verblijf met begeleiding en behandeling, "
                "dag en nacht.",
            ),
            (
                "OBC",
                "Orthopedagogisch behandelcentrum jeugd-LVB",
                "Kwetsbare functie: intensieve behandeling met verblijf voor jeugdigen met een "
                "licht verstandelijke beperking en ernstige gedragsproblemen.",
            ),
            (
                "MFC",
                "Multifunctioneel centrum",
                "Kwetsbare functie: combinatie van verblijf, dagbehandeling en ambulante hulp op "
                "één locatie.",
            ),
            (
                "KGGZ",
                "Intramurale jeugd-GGZ",
                "Kwetsbare functie: klinische behandeling van ernstige psychiatrische "
                "problematiek.",
            ),
            (
                "VERSL",
                "Jeugdverslavingszorg",
                "Kwetsbare functie: behandeling van verslaving en middelengebruik bij jongeren.",
            ),
            (
                "OZ",
                "Onderwijs en jeugdhulp",
                "Gecombineerde voorzieningen van onderwijs en jeugdhulp: time-out (STOP, "
                "maximaal 6 maanden), kliniekscholen en 12-uursvoorzieningen.",
            ),
            (
                "GESL",
                "Gesloten jeugdhulp in combinatie met GGZ",
                "Gesloten verblijf met machtiging van de kinderrechter, gekoppeld aan "
                "GGZ-behandeling en onderwijs.",
            ),
        ],
        "segments": [
            {
                "code": "A",
                "name": "Inzet vanuit lokale teams",
                "description": (
                    "Geen onderdeel van de regionale inkoopstrategie; genoemd om af te bakenen "
                    "over welke ondersteuning het gaat. Algemene vormen van opvoed- en "
                    "gezinsondersteuning en laagdrempelige hulp door het lokale team, dat per "
                    "gemeente verschilt in aard, organisatievorm, capaciteit en expertise. "
                    "Gemiddeld ongeveer 20% van de gezinnen die jeugdhulp ontvangen. Regie bij "
                    "ouders of het lokale team; hoofdaannemer is het lokale team of een aanbieder."
                ),
                "target_group": (
                    "Gezinnen met opvoed- en opgroeivragen die het lokale team zelf oppakt "
                    "(ongeveer 20% van de gezinnen in jeugdhulp)."
                ),
                "development_assignments": (
                    "De rol van de lokale teams groeit de komende jaren verder. Alle gemeenten "
                    "hebben een ondergrens benoemd en georganiseerd; het perspectiefplan wordt in "
                    "alle 14 gemeenten volgens dezelfde ondergrens in taal en werkwijze opgesteld."
                ),
                "care_forms": [],
                "children": [],
            },
            {
                "code": "B",
                "name": "Veel gezinnen, relatief lage kosten per jeugdige",
                "description": (
                    "Enkelvoudige (al dan niet complexe) specialistische modules, waarvoor lokale "
                    "teams vanuit specialisme, complexiteit of intensiteit verwijzen naar "
                    "specialistische aanbieders. Gemiddeld ongeveer 65% van de gezinnen die "
                    "jeugdhulp ontvangen. Bekostiging: een vooraf vastgestelde gemiddelde prijs "
                    "per profiel-intensiteitcombinatie gericht op het resultaat, afgerekend per "
                    "gezin naar werkelijk verbruik (PxQ); nauwelijks kwetsbare functies. "
                    "Contractduur: bij voorkeur 4 jaar, of 2 jaar met verlenging 2x1 of 1x2 jaar."
                ),
                "target_group": (
                    "Gezinnen met een enkelvoudige specialistische ondersteuningsbehoefte "
                    "(ongeveer 65% van de gezinnen in jeugdhulp)."
                ),
                "development_assignments": (
                    "Van producten naar resultaten: één perspectiefplan, één "
                    "ondersteuningsprofiel en één tarief per gezin (geen stapeling); aanbieders "
                    "bepalen zelf hoe zij een profiel invullen. Resultaten meten op "
                    "gezinservaring, uitval en doelrealisatie per profiel en intensiteit. Open "
                    "inschrijving aan het begin van een periode, met budgetplafonds en "
                    "gereserveerd budget voor nieuwe aanbieders."
                ),
                "care_forms": ["JOH", "GGZ", "LVB", "PLZ", "RESP", "CRIS"],
                "children": [
                    {
                        "code": "B1",
                        "name": "Basis",
                        "description": (
                            "Basisondersteuning in segment B zonder dwang. Regie bij de ouders "
                            "of het lokale team; hoofdaannemer is het lokale team of een "
                            "aanbieder."
                        ),
                        "target_group": (
                            "Gezinnen met een enkelvoudige hulpvraag die met basisondersteuning "
                            "van een specialistische aanbieder of het lokale team verder kunnen."
                        ),
                        "development_assignments": (
                            "Lokale teams pakken in deze categorie steeds meer zelf op met ouders "
                            "en verwijzen minder door; de verschillen tussen teams maken "
                            "afstemming per gemeente nodig."
                        ),
                        "care_forms": ["JOH", "GGZ", "LVB"],
                        "children": [],
                    },
                    {
                        "code": "B2",
                        "name": "Specialistisch",
                        "description": (
                            "Specialistische ondersteuning in segment B zonder dwang, bij "
                            "complexere klachten of een lagere leerbaarheid en motivatie. Regie "
                            "bij ouders samen met het lokale team; hoofdaannemer is een aanbieder "
                            "of het lokale team."
                        ),
                        "target_group": (
                            "Gezinnen met een enkelvoudige maar specialistische "
                            "ondersteuningsbehoefte."
                        ),
                        "development_assignments": (
                            "De hoofdaannemer is verantwoordelijk voor het resultaat en schakelt "
                            "zo nodig zelf een onderaannemer in; een profielwissel alleen met "
                            "toestemming van de regisseur, met de bewijslast bij de aanbieder."
                        ),
                        "care_forms": ["JOH", "GGZ", "LVB", "PLZ", "RESP", "CRIS"],
                        "children": [],
                    },
                ],
            },
            {
                "code": "C",
                "name": "Weinig gezinnen, relatief hoge kosten per jeugdige",
                "description": (
                    "Hoogcomplexe, bijna altijd multifocale hulp die in principe nooit door een "
                    "lokaal team wordt uitgevoerd; gemiddeld ongeveer 15% van de gezinnen die "
                    "jeugdhulp ontvangen. Omvat de kwetsbare functies die alleen door een "
                    "selectie van aanbieders worden geleverd: 24-uursverblijf jeugd- en "
                    "opvoedhulp, OBC jeugd-LVB, multifunctionele centra, intramurale jeugd-GGZ en "
                    "jeugdverslavingszorg. Het hoofdaannemerschap ligt altijd bij een "
                    "gespecialiseerde aanbieder. Bekostiging: PxQ met een gemiddelde prijs per "
                    "maatwerkoplossing, maatwerktarieven met de grootste aanbieders en "
                    "aanvullende afspraken over het behoud van kwetsbare functies; daarnaast een "
                    "vrij budget voor uitzonderlijke gezinnen."
                ),
                "target_group": (
                    "Een kleine groep gezinnen met een zeer zware, hoogcomplexe hulpvraag en zeer "
                    "hoge kosten (ongeveer 15% van de gezinnen in jeugdhulp), vaak met een "
                    "aanvullende ondersteuningsbehoefte in het onderwijs."
                ),
                "development_assignments": (
                    "De doelgroep zo klein mogelijk houden en alleen noodzakelijke diensten hier "
                    "onderbrengen; samen met de aanbieders residentiële plekken afbouwen; hoofd- "
                    "en onderaannemerschap vormgeven; een ononderbroken schoolloopbaan door "
                    "jeugdhulp en onderwijs in verbinding te organiseren (time-out, "
                    "kliniekscholen, 12-uursvoorzieningen, gesloten jeugdhulp met GGZ)."
                ),
                "care_forms": ["VERB24", "OBC", "MFC", "KGGZ", "VERSL", "OZ", "GESL", "CRIS"],
                "children": [
                    {
                        "code": "C1",
                        "name": "Intensief, vrijwillig kader",
                        "description": (
                            "Intensieve, hoogcomplexe hulp zonder dwang. Regie bij ouders samen "
                            "met het lokale team of de GI; hoofdaannemer is altijd een "
                            "gespecialiseerde aanbieder, met het lokale team als opdrachtgever."
                        ),
                        "target_group": (
                            "Gezinnen met een zeer zware hulpvraag die vrijwillig "
                            "hoogcomplexe specialistische hulp krijgen."
                        ),
                        "development_assignments": (
                            "Een nauw samenspel tussen ouders, lokaal team, school, regisseur en "
                            "hoofdaannemer; de regisseur monitort het bereikte resultaat actief."
                        ),
                        "care_forms": ["VERB24", "OBC", "MFC", "KGGZ", "VERSL", "OZ", "CRIS"],
                        "children": [],
                    },
                    {
                        "code": "C2",
                        "name": "Intensief, gedwongen kader",
                        "description": (
                            "Intensieve, hoogcomplexe hulp bij een door de rechter opgelegde "
                            "maatregel (zoals een ondertoezichtstelling), uitgevoerd door de "
                            "gecertificeerde instelling. Regie bij ouders samen met de GI; "
                            "hoofdaannemer is een gespecialiseerde aanbieder."
                        ),
                        "target_group": (
                            "Gezinnen waarin de ondersteuningsbehoefte en het risico op "
                            "onveiligheid zo ernstig zijn dat de regie (tijdelijk) bij de GI ligt."
                        ),
                        "development_assignments": (
                            "Heldere afspraken per gemeente met de GI over wanneer de GI "
                            "regisseur wordt; gezinservaring bij gedwongen hulp met nuance "
                            "meewegen."
                        ),
                        "care_forms": ["VERB24", "OBC", "KGGZ", "VERSL", "GESL", "CRIS"],
                        "children": [],
                    },
                ],
            },
        ],
        # Seed 004 names no municipality that takes part only partly or not at all.
        "participation": [],
        # Profile x intensity products are generated from SUPPORT_PROFILES and INTENSITIES.
        "products": [],
    },
]

# Segments that the region itself does not buy (Segment.bought_regionally = False):
# AMS segment A is organised by each municipality's local team (seed 004, §1.6); WBO segment 5
# is bought nationally through the Landelijk Transitiearrangement (seed 002, ch. 5).
NOT_BOUGHT_REGIONALLY = [("ams", "A"), ("wbo", "5")]

# Amsterdam model (seed 004, §3.2 and bijlage 1): the 10 ondersteuningsprofielen.
SUPPORT_PROFILES = [
    (
        1,
        "Psychosociaal functioneren en gezinscommunicatie",
        "Behoefte aan het verbeteren van het psychosociaal functioneren van jeugdigen en van de "
        "gezinscommunicatie. Jeugdigen met psychosociale problemen en ouders met een "
        "problematische relatie (vaak gescheiden) die het over de opvoeding niet eens zijn.",
    ),
    (
        2,
        "Opvoedvaardigheden en kindeigen problematiek",
        "Behoefte aan het vergroten van specifieke opvoedvaardigheden van de ouders plus hulp "
        "vanwege kindeigen problematiek. Jeugdigen met ontwikkelings-, gedrags- en/of "
        "psychi(atri)sche problemen en ouders met ontoereikende opvoedvaardigheden.",
    ),
    (
        3,
        "Ouders met een beperking",
        "Behoefte aan het vergroten van specifieke opvoedvaardigheden van ouders met een ziekte "
        "of beperking. De kinderen kunnen in principe normaal functioneren; wat er in het gezin "
        "speelt hangt samen met de ziekte of beperking van de ouders.",
    ),
    (
        4,
        "Ouders met eigen problematiek",
        "Behoefte aan het vergroten van specifieke opvoedvaardigheden van ouders met eigen "
        "(psychiatrische) problematiek plus hulp voor de jeugdige bij zijn of haar ontwikkeling. "
        "Vaak een problematische thuissituatie, soms met middelengebruik of verslaving.",
    ),
    (
        5,
        "Kindeigen problematiek",
        "Behoefte aan het verminderen van problematiek en verbeteren van het functioneren van "
        "jeugdigen door zorg en behandeling. Ontwikkelings- en gedragsproblemen door "
        "kindfactoren (psychiatrische of somatische stoornis, ontwikkelingsstoornis).",
    ),
    (
        6,
        "Multiprobleemgezinnen",
        "Behoefte aan het leren van vaardigheden en verbeteren van het functioneren van "
        "jeugdigen, met aandacht voor de eigen problematiek van de ouders en de veiligheid van de "
        "jeugdigen. Jeugdigen in multiprobleemgezinnen, waar coördinatie tussen zorgverleners "
        "uit verschillende domeinen centraal staat.",
    ),
    (
        7,
        "Verstandelijke beperking",
        "Behoefte aan begeleiding en behandeling in samenhang met een beperking. Jeugdigen met "
        "een beneden normale intelligentie (LVB of VG); ontlasting van ouders, bijvoorbeeld via "
        "respijtzorg, kan aangewezen zijn.",
    ),
    (
        8,
        "Verstandelijke beperking en gedragsproblematiek",
        "Behoefte aan begeleiding en behandeling in samenhang met een beperking en "
        "gedragsproblematiek. Jeugdigen met een beneden normale intelligentie en "
        "ontwikkelings- en gedragsproblemen op meerdere levensdomeinen, soms met psychiatrische "
        "problematiek.",
    ),
    (
        9,
        "Lichamelijke beperking",
        "Behoefte aan begeleiding en behandeling vanwege een lichamelijke beperking. Jeugdigen "
        "met een lichamelijke beperking (gehoor, zicht of somatisch) en/of niet-aangeboren "
        "hersenletsel, die zo nodig specialistische behandeling, begeleiding of verpleging vragen.",
    ),
    (
        10,
        "Complexe problematiek 0-6 jaar",
        "Behoefte aan het oplossen van complexe problematiek bij een 0-6-jarige binnen het "
        "gezin. Complexe kind-, ouder- en omgevingsfactoren die de ouder-kindrelatie en de "
        "hechting beïnvloeden en procesdiagnostiek en specifieke ouder-kindinterventies vragen.",
    ),
]

# The 4 intensities (seed 004, §1.6 and §3.3): code, name, description, and whether a product of
# the intensity may run alongside another profile for the same family ('Stapeling', §3.3): Acuut
# for at most 14 days, Duurzaam always; the others never.
INTENSITIES = [
    (
        "perspectief",
        "Perspectief",
        "Lichtere ondersteuning om de situatie van het gezin te verbeteren en de doelen uit het "
        "perspectiefplan te bereiken.",
        "exclusive",
        None,
    ),
    (
        "intensief",
        "Intensief",
        "Zware ondersteuning om de situatie van het gezin te verbeteren; bij hoogcomplexe "
        "(segment C) hulp vaak multifocaal en onder leiding van een hoofdaannemer.",
        "exclusive",
        None,
    ),
    (
        "acuut",
        "Acuut",
        "Spoedeisende hulp bij een crisis, altijd inzetbaar en voorbehouden aan geselecteerde "
        "partners. Duurt maximaal 14 dagen, waarin zo snel mogelijk met de regisseur (lokaal team "
        "of GI) een perspectiefplan wordt opgesteld; mag naast een ander tarief worden ingezet en "
        "valt buiten de resultaatmeting.",
        "limited",
        14,
    ),
    (
        "duurzaam",
        "Duurzaam",
        "Langdurige (chronische) ondersteuning gericht op consolideren. In uitzonderingen mag "
        "Duurzaam samengaan met of volgen op een behandeling uit Intensief (stapeling), mits "
        "afgestemd met de regisseur en vastgelegd in het perspectiefplan.",
        "alongside",
        None,
    ),
]

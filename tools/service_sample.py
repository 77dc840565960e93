"""Write the sample catalog's service data: care products and spare parts, their categories, the guides and the
guides' step pictures (simple SVG diagrams, no text in them, so one picture serves every language).

    .venv/bin/python tools/service_sample.py

puts the care products and spare parts into catalog/sample/products.json and their categories into
categories.json (replacing earlier versions of them, leaving everything else as it is), and writes guides.json,
images/guides/*.svg and images/NG-*.svg. Running it again gives the same files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parent.parent / "catalog" / "sample"
FAMILIES = ["tents", "sleeping_bags", "backpacks", "rain_jackets"]
FAMILY_LABELS = {
    "tents": {"de": "Zelte", "en": "Tents"},
    "sleeping_bags": {"de": "Schlafsäcke", "en": "Sleeping bags"},
    "backpacks": {"de": "Rucksäcke", "en": "Backpacks"},
    "rain_jackets": {"de": "Regenjacken", "en": "Rain jackets"},
}


def _labels(values: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    return {key: {"de": de, "en": en} for key, (de, en) in values.items()}


CARE_TYPES = {
    "seam_sealer": ("Nahtdichter", "Seam sealer"),
    "proofing_spray": ("Imprägnierspray", "Proofing spray"),
    "down_wash": ("Daunenwaschmittel", "Down wash"),
    "tech_wash": ("Funktionswaschmittel", "Tech wash"),
    "zip_lubricant": ("Reißverschluss-Gleitmittel", "Zip lubricant"),
    "dryer_balls": ("Trocknerbälle", "Dryer balls"),
    "cleaner": ("Reiniger", "Cleaner"),
}
COATINGS = {"pu": ("PU-Beschichtung", "PU coating"), "silicone": ("Silikonbeschichtung", "silicone coating")}
PART_TYPES = {
    "zip_slider": ("Reißverschlussschieber", "Zip slider"),
    "zip_puller": ("Zipper-Anhänger", "Zip puller"),
    "repair_patch": ("Reparaturflicken", "Repair patch"),
    "seam_tape": ("Nahtband", "Seam tape"),
    "pole_splint": ("Gestängeschiene", "Pole splint"),
}
CATEGORIES = {
    "format_version": 1,
    "stores": [
        {"id": "muc-01", "name": {"de": "München Innenstadt", "en": "Munich City Centre"}},
        {"id": "ham-01", "name": {"de": "Hamburg Jungfernstieg", "en": "Hamburg Jungfernstieg"}},
    ],
    "categories": [
        {
            "id": "care",
            "label": {"de": "Pflegemittel", "en": "Care products"},
            "attributes": [
                {"name": "care_type", "type": "enum", "label": {"de": "Art", "en": "Type"},
                 "values": list(CARE_TYPES), "value_labels": _labels(CARE_TYPES), "required": True},
                {"name": "for_categories", "type": "set", "label": {"de": "Für", "en": "For"},
                 "values": FAMILIES, "value_labels": FAMILY_LABELS, "required": True},
                {"name": "volume_ml", "type": "integer", "unit": "ml", "label": {"de": "Inhalt", "en": "Contents"},
                 "min": 1, "max": 5000},
                {"name": "sealer_for", "type": "set", "label": {"de": "Für Beschichtung", "en": "For coating"},
                 "values": list(COATINGS), "value_labels": _labels(COATINGS)},
            ],
        },
        {
            "id": "spare_parts",
            "label": {"de": "Ersatzteile", "en": "Spare parts"},
            "attributes": [
                {"name": "part_type", "type": "enum", "label": {"de": "Art", "en": "Type"},
                 "values": list(PART_TYPES), "value_labels": _labels(PART_TYPES), "required": True},
                {"name": "for_categories", "type": "set", "label": {"de": "Für", "en": "For"},
                 "values": FAMILIES, "value_labels": FAMILY_LABELS, "required": True},
                {"name": "zip_size", "type": "integer", "label": {"de": "Reißverschluss-Größe", "en": "Zip size"},
                 "min": 3, "max": 10},
            ],
        },
    ],
}  # fmt: skip

# sku, category, name (de, en), description (de, en), price, attributes, stock (muc, ham)
PRODUCTS: list[tuple[str, str, tuple[str, str], tuple[str, str], float, dict[str, Any], tuple[int, int]]] = [
    ("NG-CARE-0001", "care", ("Nahtdichter 50 ml", "Seam sealer 50 ml"),
     ("Dichtet Nähte von Zelten und Jacken mit PU-Beschichtung dauerhaft ab.",
      "Seals the seams of PU-coated tents and jackets for good."),
     12.95, {"care_type": "seam_sealer", "for_categories": ["tents", "rain_jackets"], "volume_ml": 50,
             "sealer_for": ["pu"]}, (6, 4)),
    ("NG-CARE-0002", "care", ("Zelt-Imprägnierspray 500 ml", "Tent reproofing spray 500 ml"),
     ("Frischt die wasserabweisende Ausrüstung von Außenzelten und Rucksäcken auf, PFC-frei.",
      "Restores the water repellency of flysheets and backpacks, PFC-free."),
     19.95, {"care_type": "proofing_spray", "for_categories": ["tents", "backpacks"], "volume_ml": 500}, (8, 5)),
    ("NG-CARE-0003", "care", ("Daunenwaschmittel 250 ml", "Down wash 250 ml"),
     ("Reinigt Daunen schonend und erhält ihre natürlichen Fette und die Bauschkraft.",
      "Cleans down gently and keeps its natural oils and loft."),
     11.95, {"care_type": "down_wash", "for_categories": ["sleeping_bags", "rain_jackets"], "volume_ml": 250},
     (10, 7)),
    ("NG-CARE-0004", "care", ("Funktionswaschmittel 300 ml", "Tech wash 300 ml"),
     ("Für Kunstfaser-Schlafsäcke und Membranjacken: wäscht ohne Rückstände.",
      "For synthetic sleeping bags and membrane jackets: washes without residue."),
     9.95, {"care_type": "tech_wash", "for_categories": ["sleeping_bags", "rain_jackets", "backpacks"],
            "volume_ml": 300}, (9, 6)),
    ("NG-CARE-0005", "care", ("Reißverschluss-Gleitmittel", "Zip lubricant"),
     ("Ein Stift, der klemmende Reißverschlüsse wieder leichtgängig macht.",
      "A stick that makes stiff zips run smoothly again."),
     7.95, {"care_type": "zip_lubricant", "for_categories": FAMILIES, "volume_ml": 10}, (12, 9)),
    ("NG-CARE-0006", "care", ("Trocknerbälle, 3 Stück", "Dryer balls, set of 3"),
     ("Lockern Daunen im Trockner auf, damit sie ihre Bauschkraft zurückgewinnen.",
      "Break up down clumps in the dryer so it regains its loft."),
     9.95, {"care_type": "dryer_balls", "for_categories": ["sleeping_bags", "rain_jackets"]}, (5, 3)),
    ("NG-CARE-0007", "care", ("Zeltreiniger 500 ml", "Tent cleaner 500 ml"),
     ("Entfernt Schmutz und Stockflecken-Ansätze von Zeltgewebe, ohne die Beschichtung anzugreifen.",
      "Removes dirt and early mildew from tent fabric without harming the coating."),
     12.95, {"care_type": "cleaner", "for_categories": ["tents"], "volume_ml": 500}, (4, 4)),
    ("NG-CARE-0008", "care", ("Silikon-Nahtdichter 28 g", "Silicone seam sealer 28 g"),
     ("Dichtet Nähte von silikonbeschichtetem Zeltgewebe (Silnylon) ab, auf dem PU-Nahtdichter nicht hält.",
      "Seals the seams of silicone-coated tent fabric (silnylon), where PU seam sealer does not hold."),
     14.95, {"care_type": "seam_sealer", "for_categories": ["tents"], "volume_ml": 28, "sealer_for": ["silicone"]},
     (3, 2)),
    ("NG-PART-0001", "spare_parts", ("Schieber-Set Größe 5", "Zip slider set size 5"),
     ("Zwei Ersatzschieber für Reißverschlüsse der Größe 5 (Zelttüren, Schlafsäcke, Jacken).",
      "Two spare sliders for size 5 zips (tent doors, sleeping bags, jackets)."),
     8.95, {"part_type": "zip_slider", "for_categories": ["tents", "sleeping_bags", "rain_jackets"],
            "zip_size": 5}, (7, 5)),
    ("NG-PART-0002", "spare_parts", ("Schieber-Set Größe 8", "Zip slider set size 8"),
     ("Zwei Ersatzschieber für kräftige Reißverschlüsse der Größe 8 (Zelteingänge, Rucksäcke).",
      "Two spare sliders for heavy size 8 zips (tent entrances, backpacks)."),
     9.95, {"part_type": "zip_slider", "for_categories": ["tents", "backpacks"], "zip_size": 8}, (5, 4)),
    ("NG-PART-0003", "spare_parts", ("Zipper-Anhänger, 6 Stück", "Zip pullers, set of 6"),
     ("Ersatz für abgerissene Zipper-Anhänger, ohne Werkzeug einzuhängen.",
      "Replaces broken-off zip pullers, fitted without tools."),
     4.95, {"part_type": "zip_puller", "for_categories": FAMILIES}, (15, 10)),
    ("NG-PART-0004", "spare_parts", ("Reparaturflicken Zeltgewebe", "Tent fabric repair patches"),
     ("Selbstklebende Flicken für Außenzelt und Boden, in drei Größen.",
      "Self-adhesive patches for flysheet and floor, in three sizes."),
     7.95, {"part_type": "repair_patch", "for_categories": ["tents"]}, (6, 6)),
    ("NG-PART-0005", "spare_parts", ("Nahtband 3 m", "Seam tape 3 m"),
     ("Zum Aufbügeln auf gelöste Nahtbänder von Zelten und Jacken.",
      "Iron-on tape for seam tapes that came loose on tents and jackets."),
     9.95, {"part_type": "seam_tape", "for_categories": ["tents", "rain_jackets"]}, (3, 2)),
    ("NG-PART-0006", "spare_parts", ("Gestängeschiene", "Pole repair splint"),
     ("Aluminium-Hülse, die ein geknicktes oder gebrochenes Gestängesegment unterwegs schient.",
      "An aluminium sleeve that splints a bent or broken pole section on the trail."),
     4.95, {"part_type": "pole_splint", "for_categories": ["tents"]}, (8, 6)),
    ("NG-PART-0007", "spare_parts", ("Reparaturflicken Daune", "Down repair patches"),
     ("Feine, selbstklebende Flicken für Schlafsäcke und Daunenjacken.",
      "Fine self-adhesive patches for sleeping bags and down jackets."),
     6.95, {"part_type": "repair_patch", "for_categories": ["sleeping_bags", "rain_jackets"]}, (6, 5)),
]  # fmt: skip

SHELVES = {
    "muc-01": {"de": "EG, Pflege & Reparatur, Regal {n}", "en": "Ground floor, care & repair, shelf {n}"},
    "ham-01": {"de": "UG, Service-Theke, Fach {n}", "en": "Basement, service counter, tray {n}"},
}


def product_records() -> list[dict[str, Any]]:
    records = []
    for number, (sku, category, name, description, price, attributes, (muc, ham)) in enumerate(PRODUCTS, 1):
        shelf = 1 + number % 4
        records.append(
            {
                "sku": sku,
                "category": category,
                "brand": "Nordgrat",
                "name": {"de": name[0], "en": name[1]},
                "description": {"de": description[0], "en": description[1]},
                "price": price,
                "currency": "EUR",
                "image": f"images/{sku}.svg",
                "attributes": attributes,
                "care": {
                    "wash": "no_wash",
                    "dry": "air",
                    "reproof": "none",
                    "instructions": {
                        "de": ["Kühl und trocken lagern", "Von Kindern fernhalten"],
                        "en": ["Store cool and dry", "Keep away from children"],
                    },
                },
                "repair": {},
                "sustainability": {"certifications": [], "pfc_free": True, "country_of_origin": "DE"},
                "stock": [
                    {"store": "ham-01", "quantity": ham,
                     "location": {k: v.format(n=shelf) for k, v in SHELVES["ham-01"].items()}},
                    {"store": "muc-01", "quantity": muc,
                     "location": {k: v.format(n=shelf) for k, v in SHELVES["muc-01"].items()}},
                ],
            }
        )  # fmt: skip
    return records


# -- guides ----------------------------------------------------------------------------------------------------

T = tuple[str, str]
TOOLS: dict[str, T] = {
    "brush": ("Weiche Bürste", "Soft brush"),
    "cloth": ("Sauberes Tuch", "Clean cloth"),
    "alcohol": ("Etwas Reinigungsalkohol", "A little rubbing alcohol"),
    "scissors": ("Schere", "Scissors"),
    "pliers": ("Flachzange", "Flat-nose pliers"),
    "tape": ("Klebeband", "Adhesive tape"),
    "sponge": ("Schwamm", "Sponge"),
    "bathtub": ("Badewanne", "Bathtub"),
    "dryer": ("Wäschetrockner (niedrige Stufe)", "Tumble dryer (low heat)"),
    "iron": ("Bügeleisen (niedrige Stufe)", "Iron (low heat)"),
}

# id, for, title, difficulty, minutes, tools, needs, steps: (motif, de, en)
GUIDES: list[tuple[str, dict[str, Any], T, str, int, list[str], list[str], list[tuple[str, str, str]]]] = [
    ("tent-seam-sealing", {"category": "tents"}, ("Nähte am Zelt abdichten", "Sealing a tent's seams"), "easy", 45,
     ["brush", "cloth", "alcohol"], ["NG-CARE-0001"], [
         ("tent", "Zelt trocken und straff aufbauen, am besten bei Tageslicht.",
          "Pitch the tent dry and taut, ideally in daylight."),
         ("seam", "Die undichte Naht mit Alkohol auf einem Tuch reinigen und trocknen lassen.",
          "Clean the leaking seam with alcohol on a cloth and let it dry."),
         ("bottle", "Nahtdichter dünn auf die Naht auftragen, 2 cm über die undichte Stelle hinaus.",
          "Apply seam sealer thinly along the seam, 2 cm past the leak on each side."),
         ("clock", "12 Stunden trocknen lassen, bevor das Zelt verpackt wird.",
          "Let it cure for 12 hours before packing the tent."),
     ]),
    ("tent-silnylon-seams", {"skus": ["NG-TENT-0001"]},
     ("Karwendel UL 1: Nähte der Silikonbeschichtung", "Karwendel UL 1: seams of the silicone coating"), "medium",
     60, ["brush", "cloth"], ["NG-CARE-0008"], [
         ("tent", "Zelt aufbauen und die Nähte von außen prüfen.", "Pitch the tent and check the seams from outside."),
         ("seam", "Nur die Naht reinigen: Silikongewebe nimmt kein Imprägnierspray an.",
          "Clean only the seam: silicone fabric takes no proofing spray."),
         ("bottle", "Silikon-Nahtdichter mit dem Pinsel in die Naht einarbeiten (PU-Nahtdichter hält hier nicht).",
          "Work the silicone seam sealer into the seam with the brush (PU sealer does not hold here)."),
         ("clock", "24 Stunden trocknen lassen.", "Let it cure for 24 hours."),
     ]),
    ("tent-reproofing", {"category": "tents", "when": "not (tent_type == \"trekking_pole\")"},
     ("Außenzelt neu imprägnieren", "Reproofing a flysheet"), "easy", 40, ["sponge"], ["NG-CARE-0002"], [
         ("tent", "Zelt aufbauen und das Außenzelt mit klarem Wasser und Schwamm reinigen.",
          "Pitch the tent and clean the flysheet with clear water and a sponge."),
         ("spray", "Spray aus 15 cm Abstand gleichmäßig auf das nasse Außenzelt sprühen.",
          "Spray evenly onto the wet flysheet from 15 cm away."),
         ("cloth", "Überschuss nach zwei Minuten mit einem Tuch abnehmen.", "Wipe off the excess after two minutes."),
         ("sun", "Aufgebaut trocknen lassen; Wasser perlt danach wieder ab.",
          "Let it dry pitched; water beads off again afterwards."),
     ]),
    ("tent-condensation", {"category": "tents"},
     ("Kondenswasser im Zelt vermeiden", "Avoiding condensation in the tent"), "easy", 10, ["cloth"], [], [
         ("vent", "Alle Lüfter öffnen, auch bei Regen: feuchte Luft muss hinaus.",
          "Open every vent, even in rain: moist air has to get out."),
         ("tent", "Außenzelt straff abspannen, damit es das Innenzelt nirgends berührt.",
          "Guy the flysheet taut so it never touches the inner tent."),
         ("drop", "Nasse Sachen und Kochen in die Apsis, nicht ins Innenzelt.",
          "Keep wet gear and cooking in the porch, not in the inner tent."),
         ("cloth", "Morgens die Innenseite des Außenzelts mit einem Tuch trocknen.",
          "In the morning, wipe the inside of the flysheet dry with a cloth."),
     ]),
    ("tent-pole-splint", {"category": "tents"}, ("Geknicktes Gestänge schienen", "Splinting a bent pole"), "easy", 15,
     ["tape"], ["NG-PART-0006"], [
         ("pole", "Das Gestänge vorsichtig aus dem Kanal ziehen.", "Carefully pull the pole out of its sleeve."),
         ("splint", "Die Schiene über die geknickte Stelle schieben, mittig.",
          "Slide the splint over the bent spot, centred."),
         ("tape", "Die Enden der Schiene mit Klebeband sichern.", "Secure both ends of the splint with tape."),
     ]),
    ("tent-patch", {"category": "tents"}, ("Loch im Zeltgewebe flicken", "Patching a hole in tent fabric"), "easy", 20,
     ["scissors", "alcohol", "cloth"], ["NG-PART-0004"], [
         ("seam", "Die Stelle um das Loch mit Alkohol reinigen.", "Clean around the hole with alcohol."),
         ("scissors", "Den Flicken rund zuschneiden, 2 cm größer als das Loch.",
          "Cut the patch round, 2 cm larger than the hole."),
         ("patch", "Flicken aufkleben und eine Minute fest andrücken, innen und außen.",
          "Stick the patch on and press it firmly for a minute, inside and out."),
     ]),
    ("zip-free-caught-fabric", {"category": "tents"},
     ("Eingeklemmten Stoff aus dem Reißverschluss lösen", "Freeing fabric caught in a zip"), "easy", 5, [], [], [
         ("zip", "Den Schieber ein Stück zurückziehen, nicht weiter nach vorn.",
          "Pull the slider back a little, never further forward."),
         ("pinch", "Den Stoff straff halten und seitlich aus dem Schieber ziehen.",
          "Hold the fabric taut and pull it sideways out of the slider."),
         ("zip", "Reißverschluss langsam schließen und den Stoff dabei wegstreichen.",
          "Close the zip slowly, smoothing the fabric away from it."),
     ]),
    ("zip-clean-lubricate", {"category": "tents"},
     ("Reißverschluss reinigen und gängig machen", "Cleaning and lubricating a zip"), "easy", 10, ["brush"],
     ["NG-CARE-0005"], [
         ("brush", "Sand und Schmutz mit Bürste und lauwarmem Wasser aus den Zähnen bürsten.",
          "Brush sand and dirt out of the teeth with lukewarm water."),
         ("stick", "Gleitmittel auf beide Zahnreihen reiben.", "Rub lubricant along both rows of teeth."),
         ("zip", "Schieber mehrmals auf und zu ziehen.", "Run the slider up and down several times."),
     ]),
    ("zip-slider-replace", {"category": "tents"},
     ("Ausgeleierten Reißverschlussschieber tauschen", "Replacing a worn zip slider"), "medium", 30, ["pliers"],
     ["NG-PART-0001"], [
         ("zip", "Die Endkappe des Reißverschlusses mit der Zange aufbiegen und abnehmen.",
          "Bend open the zip's end stop with the pliers and take it off."),
         ("slider", "Den alten Schieber abziehen und den neuen in derselben Richtung aufschieben.",
          "Pull the old slider off and thread the new one on the same way round."),
         ("pliers", "Die Endkappe wieder aufsetzen und fest zudrücken.", "Put the end stop back and press it shut."),
         ("zip", "Reißverschluss prüfen: Er schließt wieder ohne Lücke.",
          "Test the zip: it closes again without a gap."),
     ]),
    ("sleeping-bag-down-wash", {"category": "sleeping_bags", "when": "fill == \"down\""},
     ("Daunenschlafsack waschen", "Washing a down sleeping bag"), "medium", 120, ["bathtub", "dryer"],
     ["NG-CARE-0003", "NG-CARE-0006"], [
         ("zip", "Alle Reißverschlüsse schließen.", "Close every zip."),
         ("tub", "In der Badewanne mit lauwarmem Wasser und Daunenwaschmittel einweichen und sanft drücken.",
          "Soak in the bathtub in lukewarm water with down wash, pressing gently."),
         ("drop", "Mehrmals klar spülen, bis kein Schaum mehr kommt; nicht auswringen.",
          "Rinse several times until no foam is left; do not wring."),
         ("dryer", "Mit Trocknerbällen auf niedriger Stufe trocknen, bis keine Klumpen mehr zu fühlen sind.",
          "Dry on low heat with dryer balls until no clumps are left."),
     ]),
    ("sleeping-bag-synthetic-wash", {"category": "sleeping_bags", "when": "fill == \"synthetic\""},
     ("Kunstfaserschlafsack waschen", "Washing a synthetic sleeping bag"), "easy", 90, [], ["NG-CARE-0004"], [
         ("zip", "Alle Reißverschlüsse schließen.", "Close every zip."),
         ("washer", "Im Schonwaschgang bei 30 °C mit Funktionswaschmittel waschen.",
          "Wash on the gentle cycle at 30 °C with tech wash."),
         ("sun", "Liegend an der Luft trocknen, nicht aufhängen.", "Dry flat in the air; do not hang it."),
     ]),
    ("sleeping-bag-dry-loft", {"category": "sleeping_bags"},
     ("Bauschkraft zurückgewinnen", "Bringing back the loft"), "easy", 60, ["dryer"], ["NG-CARE-0006"], [
         ("bag", "Den Schlafsack aus dem Packsack nehmen und locker ausbreiten.",
          "Take the bag out of its stuff sack and spread it out loosely."),
         ("dryer", "Mit Trocknerbällen 30 Minuten auf niedriger Stufe trocknen.",
          "Tumble dry for 30 minutes on low heat with dryer balls."),
         ("hand", "Die Kammern von Hand aufschütteln.", "Shake out the baffles by hand."),
         ("bag", "Locker im großen Aufbewahrungssack lagern, nie komprimiert.",
          "Store loosely in the large storage sack, never compressed."),
     ]),
    ("sleeping-bag-feathers", {"category": "sleeping_bags", "when": "fill == \"down\""},
     ("Daunen, die durch den Stoff kommen", "Down poking through the fabric"), "easy", 5, [], [], [
         ("pinch", "Die Feder nicht herausziehen: Das Loch im Gewebe würde größer.",
          "Do not pull the feather out: the hole in the fabric would grow."),
         ("hand", "Von der Gegenseite greifen und die Feder zurück in die Kammer ziehen.",
          "Grip from the other side and pull the feather back into the baffle."),
         ("hand", "Das Gewebe zwischen den Fingern reiben, damit sich die Fasern schließen.",
          "Rub the fabric between your fingers so the weave closes."),
     ]),
    ("sleeping-bag-patch", {"category": "sleeping_bags"},
     ("Kleines Loch im Schlafsack flicken", "Patching a small hole in a sleeping bag"), "easy", 10, ["scissors"],
     ["NG-PART-0007"], [
         ("pinch", "Herausstehende Daunen zurück in die Kammer schieben.", "Push loose down back into the baffle."),
         ("scissors", "Flicken mit runden Ecken zuschneiden.", "Cut the patch with rounded corners."),
         ("patch", "Aufkleben und eine Minute fest andrücken.", "Stick it on and press firmly for a minute."),
     ]),
]  # fmt: skip


# A product's own guide that stands in for the family's guide a flow names.
REPLACES = {"tent-silnylon-seams": "tent-seam-sealing"}


def guide_records() -> dict[str, Any]:
    guides = []
    for guide_id, target, title, difficulty, minutes, tools, needs, steps in GUIDES:
        guides.append(
            {
                "id": guide_id,
                "for": target,
                "title": {"de": title[0], "en": title[1]},
                "difficulty": difficulty,
                "minutes": minutes,
                "tools": [{"de": TOOLS[tool][0], "en": TOOLS[tool][1]} for tool in tools],
                "needs": needs,
                **({"replaces": REPLACES[guide_id]} if guide_id in REPLACES else {}),
                "steps": [
                    {"text": {"de": de, "en": en}, "image": f"images/guides/{guide_id}-{n}.svg"}
                    for n, (_, de, en) in enumerate(steps, start=1)
                ],
            }
        )
    return {"format_version": 1, "guides": guides}


# -- pictures --------------------------------------------------------------------------------------------------

INK = "#2f3b45"
ACCENT = "#c25b86"
SOFT = "#dfe8d8"
MOTIFS = {
    "tent": f'<path d="M60 200L160 70L260 200Z" fill="{SOFT}" stroke="{INK}" stroke-width="6"/>'
    f'<path d="M160 70V200" stroke="{INK}" stroke-width="4"/>',
    "seam": f'<rect x="50" y="60" width="220" height="140" rx="10" fill="{SOFT}"/>'
    f'<path d="M160 60V200" stroke="{ACCENT}" stroke-width="8" stroke-dasharray="14 8"/>',
    "bottle": f'<rect x="120" y="90" width="80" height="120" rx="14" fill="{ACCENT}"/>'
    f'<rect x="145" y="55" width="30" height="40" fill="{INK}"/><path d="M160 55V30" stroke="{INK}" stroke-width="6"/>',
    "clock": f'<circle cx="160" cy="130" r="75" fill="{SOFT}" stroke="{INK}" stroke-width="6"/>'
    f'<path d="M160 130V80M160 130H200" stroke="{INK}" stroke-width="8" stroke-linecap="round"/>',
    "spray": f'<rect x="80" y="100" width="60" height="110" rx="10" fill="{ACCENT}"/>'
    f'<rect x="95" y="75" width="30" height="28" fill="{INK}"/>'
    f'<path d="M150 90L250 60M150 90L250 90M150 90L250 120" stroke="{INK}" stroke-width="4" stroke-dasharray="6 8"/>',
    "cloth": f'<path d="M80 90Q160 50 240 90L220 190Q160 220 100 190Z" fill="{SOFT}" stroke="{INK}" stroke-width="5"/>',
    "sun": '<circle cx="160" cy="130" r="45" fill="#e9b949"/>'
    + "".join(
        f'<path d="M{160 + 60 * dx} {130 + 60 * dy}L{160 + 85 * dx} {130 + 85 * dy}" stroke="#e9b949" '
        'stroke-width="8" stroke-linecap="round"/>'
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7), (-0.7, -0.7))
    ),
    "vent": f'<path d="M60 200L160 70L260 200Z" fill="{SOFT}" stroke="{INK}" stroke-width="6"/>'
    f'<path d="M135 110H185L175 130H145Z" fill="{ACCENT}"/>'
    f'<path d="M160 100V40M145 55L160 40L175 55" stroke="{INK}" stroke-width="5" fill="none"/>',
    "drop": '<path d="M160 50Q215 130 200 170A40 40 0 0 1 120 170Q105 130 160 50Z" fill="#5b8fc2"/>',
    "pole": f'<path d="M40 170L150 120L280 90" stroke="{INK}" stroke-width="10" stroke-linecap="round" fill="none"/>'
    f'<circle cx="150" cy="120" r="14" fill="none" stroke="{ACCENT}" stroke-width="5"/>',
    "splint": f'<path d="M40 140H280" stroke="{INK}" stroke-width="10" stroke-linecap="round"/>'
    f'<rect x="120" y="126" width="80" height="28" rx="8" fill="{ACCENT}"/>',
    "tape": f'<path d="M40 140H280" stroke="{INK}" stroke-width="10"/>'
    f'<rect x="100" y="120" width="30" height="40" fill="#e9b949"/><rect x="190" y="120" width="30" height="40" '
    'fill="#e9b949"/>',
    "scissors": f'<circle cx="110" cy="170" r="25" fill="none" stroke="{INK}" stroke-width="7"/>'
    f'<circle cx="170" cy="180" r="25" fill="none" stroke="{INK}" stroke-width="7"/>'
    f'<path d="M125 150L240 60M155 158L250 90" stroke="{INK}" stroke-width="7" stroke-linecap="round"/>',
    "patch": f'<rect x="50" y="60" width="220" height="140" rx="10" fill="{SOFT}"/>'
    f'<circle cx="160" cy="130" r="45" fill="{ACCENT}" opacity=".85"/><circle cx="160" cy="130" r="8" fill="{INK}"/>',
    "zip": f'<path d="M160 40V220" stroke="{INK}" stroke-width="4"/>'
    + "".join(
        f'<rect x="{146 if i % 2 else 160}" y="{44 + 12 * i}" width="14" height="7" fill="{INK}"/>' for i in range(15)
    )
    + f'<rect x="138" y="120" width="44" height="40" rx="8" fill="{ACCENT}"/>',
    "pinch": f'<path d="M160 40V220" stroke="{INK}" stroke-width="6" stroke-dasharray="8 6"/>'
    f'<path d="M60 110Q120 130 150 130" stroke="{ACCENT}" stroke-width="10" fill="none" stroke-linecap="round"/>'
    f'<path d="M70 150L40 130" stroke="{INK}" stroke-width="6" stroke-linecap="round"/>',
    "brush": f'<rect x="70" y="110" width="150" height="35" rx="8" fill="{INK}"/>'
    + "".join(f'<path d="M{80 + 12 * i} 145V180" stroke="{ACCENT}" stroke-width="5"/>' for i in range(12)),
    "stick": f'<rect x="130" y="50" width="60" height="150" rx="12" fill="{ACCENT}"/>'
    f'<rect x="130" y="50" width="60" height="40" rx="12" fill="{INK}"/>',
    "slider": f'<rect x="110" y="80" width="100" height="90" rx="16" fill="{ACCENT}"/>'
    f'<rect x="145" y="165" width="30" height="55" rx="8" fill="{INK}"/>',
    "pliers": f'<path d="M90 210L150 110L170 40M230 210L170 110L150 40" stroke="{INK}" stroke-width="12" '
    'stroke-linecap="round" fill="none"/>',
    "tub": f'<path d="M50 120H270V160Q270 200 230 200H90Q50 200 50 160Z" fill="{SOFT}" stroke="{INK}" '
    'stroke-width="6"/><path d="M70 130Q160 110 250 130" stroke="#5b8fc2" stroke-width="6" fill="none"/>',
    "dryer": f'<rect x="80" y="40" width="160" height="180" rx="14" fill="{SOFT}" stroke="{INK}" stroke-width="6"/>'
    f'<circle cx="160" cy="135" r="50" fill="#fff" stroke="{INK}" stroke-width="6"/>'
    f'<circle cx="145" cy="140" r="10" fill="{ACCENT}"/><circle cx="175" cy="125" r="10" fill="{ACCENT}"/>',
    "washer": f'<rect x="80" y="40" width="160" height="180" rx="14" fill="{SOFT}" stroke="{INK}" stroke-width="6"/>'
    f'<circle cx="160" cy="135" r="50" fill="#5b8fc2" stroke="{INK}" stroke-width="6"/>',
    "bag": f'<path d="M110 40Q160 20 210 40L230 210Q160 230 90 210Z" fill="{ACCENT}" stroke="{INK}" stroke-width="5"/>'
    + "".join(
        f'<path d="M100 {70 + 35 * i}Q160 {80 + 35 * i} 222 {70 + 35 * i}" stroke="{INK}" '
        'stroke-width="3" fill="none"/>'
        for i in range(4)
    ),
    "hand": f'<path d="M110 220V120Q110 105 125 105Q140 105 140 120V70Q140 55 155 55Q170 55 170 70V110V80Q170 65 '
    f'185 65Q200 65 200 80V115Q215 105 225 120L200 220Z" fill="#f0c9a8" stroke="{INK}" stroke-width="5"/>',
}
PRODUCT_MOTIFS = {
    "seam_sealer": "bottle", "proofing_spray": "spray", "down_wash": "bottle", "tech_wash": "bottle",
    "zip_lubricant": "stick", "dryer_balls": "dryer", "cleaner": "spray", "zip_slider": "slider",
    "zip_puller": "slider", "repair_patch": "patch", "seam_tape": "tape", "pole_splint": "splint",
}  # fmt: skip


def svg(motif: str, title: str) -> str:
    """A 320x240 diagram of the motif; the kiosk and the web say a step's number beside it."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 240" width="320" height="240" role="img">'
        f'<title>{title}</title><rect width="320" height="240" fill="#f4efe9"/>{MOTIFS[motif]}</svg>\n'
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> int:
    dictionary = json.loads((SAMPLE / "categories.json").read_text(encoding="utf-8"))
    ours = {category["id"] for category in CATEGORIES["categories"]}
    dictionary["categories"] = [c for c in dictionary["categories"] if c["id"] not in ours] + CATEGORIES["categories"]
    write(SAMPLE / "categories.json", json.dumps(dictionary, ensure_ascii=False, indent=2) + "\n")
    records = product_records()
    skus = {record["sku"] for record in records}
    products = json.loads((SAMPLE / "products.json").read_text(encoding="utf-8"))
    products = [record for record in products if record["sku"] not in skus] + records
    write(SAMPLE / "products.json", json.dumps(products, ensure_ascii=False, indent=2) + "\n")
    write(SAMPLE / "guides.json", json.dumps(guide_records(), ensure_ascii=False, indent=2) + "\n")
    for guide_id, _, title, _, _, _, _, steps in GUIDES:
        for number, (motif, _, _) in enumerate(steps, start=1):
            picture = svg(motif, f"{title[1]}: {number}")
            write(SAMPLE / "images" / "guides" / f"{guide_id}-{number}.svg", picture)
    for sku, _, name, _, _, attributes, _ in PRODUCTS:
        kind = str(attributes.get("care_type") or attributes.get("part_type"))
        write(SAMPLE / "images" / f"{sku}.svg", svg(PRODUCT_MOTIFS[kind], name[1]))
    sys.stdout.write(f"wrote {len(PRODUCTS)} products, {len(GUIDES)} guides to {SAMPLE}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

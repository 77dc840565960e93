"""Application texts in German and English, with du and Sie forms: one mechanism for the core and the UI.

A message is a key with a text per locale; a German text may come in a `du` and a `Sie` form, chosen by the
questionnaire's form of address. Parameters are inserted with str.format-style `{name}` fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

LOCALES = ("de", "en")
Message = Mapping[str, str | Mapping[str, str]]

MESSAGES: dict[str, Message] = {
    # Reasons and trade-offs (recommender)
    "reason.requirement": {"de": "{label}", "en": "{label}"},
    "reason.value_meets": {"de": "{attribute}: {value} – {label}", "en": "{attribute}: {value} – {label}"},
    "reason.better_than": {
        "de": "{attribute}: {value} – {better} als {share} der passenden {category}",
        "en": "{attribute}: {value} – {better} than {share} of the {category} that fit",
    },
    "reason.has": {"de": "{attribute}: {value}", "en": "{attribute}: {value}"},
    "reason.close_to": {  # "staff": the staff console speaks about the customer
        "de": {"du": "{attribute}: {value} – nah an deinem Wunsch ({target})",
               "Sie": "{attribute}: {value} – nah an Ihrem Wunsch ({target})",
               "staff": "{attribute}: {value} – nah am Kundenwunsch ({target})"},
        "en": {"du": "{attribute}: {value} – close to your wish ({target})",
               "staff": "{attribute}: {value} – close to the customer's wish ({target})"},
    },
    "reason.as_wished": {
        "de": {"du": "{attribute}: {value} – genau dein Wunsch", "Sie": "{attribute}: {value} – genau Ihr Wunsch",
               "staff": "{attribute}: {value} – genau der Kundenwunsch"},
        "en": {"du": "{attribute}: {value} – just as you wished",
               "staff": "{attribute}: {value} – just as the customer wished"},
    },
    "tradeoff.worse_than": {
        "de": "{attribute}: {value} – {worse} als {share} der passenden {category}",
        "en": "{attribute}: {value} – {worse} than {share} of the {category} that fit",
    },
    # A wish the product misses, as the wish met reads ("Kapuze: helmtauglich"): with what it has instead ("Kapuze:
    # verstaubar statt helmtauglich"), else negated ("Kapuze: nicht helmtauglich"). The values are adjectives,
    # nouns ("Rot") and phrases ("ohne Gestell"): "ohne" / "without" before them did not read right.
    "tradeoff.lacks": {"de": "{attribute}: nicht {value}", "en": "{attribute}: not {value}"},
    # (the wish named as such: beside the top pick, "3-Lagen statt 2,5-Lagen" read as the top pick's layers)
    "tradeoff.instead": {"de": "{attribute}: {actual} (gewünscht: {value})",
                         "en": "{attribute}: {actual} (wished: {value})"},
    "tradeoff.unlike": {"de": "{said} (anders als gewünscht)", "en": "{said} (not as wished)"},
    "fact.repair_service": {"de": "Reparaturservice", "en": "Repair service"},
    "fact.spare_parts_until": {"de": "Ersatzteile bis {date}", "en": "Spare parts until {date}"},
    "fact.recycled": {"de": "{share} recyceltes Material", "en": "{share} recycled material"},  # share: percent()
    "fact.pfc_free": {"de": "PFC-frei", "en": "PFC-free"},
    "fact.certified": {"de": "Zertifiziert: {names}", "en": "Certified: {names}"},
    "material.aluminium": {"de": "Aluminium", "en": "aluminium"},
    "material.carbon": {"de": "Carbon", "en": "carbon"},
    "material.cotton": {"de": "Baumwolle", "en": "cotton"},
    "material.down": {"de": "Daune", "en": "down"},
    "material.elastane": {"de": "Elasthan", "en": "elastane"},
    "material.polyamide": {"de": "Polyamid", "en": "polyamide"},
    "material.polyester": {"de": "Polyester", "en": "polyester"},
    "material.polyurethane": {"de": "Polyurethan", "en": "polyurethane"},
    "material.steel": {"de": "Stahl", "en": "steel"},
    "certification.bluesign": {"de": "bluesign®", "en": "bluesign®"},
    "certification.fair_wear": {"de": "Fair Wear", "en": "Fair Wear"},
    "certification.gots": {"de": "GOTS (Bio-Baumwolle)", "en": "GOTS (organic cotton)"},
    "certification.grs": {"de": "Global Recycled Standard", "en": "Global Recycled Standard"},
    "certification.gruener_knopf": {"de": "Grüner Knopf", "en": "Grüner Knopf (German textile seal)"},
    "certification.oeko_tex": {"de": "OEKO-TEX®", "en": "OEKO-TEX®"},
    "certification.rds": {"de": "Responsible Down Standard", "en": "Responsible Down Standard"},
    "better.lower": {"de": "niedriger", "en": "lower"},
    "better.higher": {"de": "höher", "en": "higher"},
    "better.weight": {"de": "leichter", "en": "lighter"},
    "worse.weight": {"de": "schwerer", "en": "heavier"},
    "better.price": {"de": "günstiger", "en": "cheaper"},
    "worse.price": {"de": "teurer", "en": "dearer"},
    "better.more": {"de": "mehr", "en": "more"},
    "better.less": {"de": "weniger", "en": "less"},
    # What sets products apart (advisor/recommend/explain.py)
    "decide.shared": {"de": "Alle {count} {category}: {labels}", "en": "All {count} {category}: {labels}"},
    "decide.shared_two": {"de": "Beide {category}: {labels}", "en": "Both {category}: {labels}"},
    "decide.top": {
        "de": {"du": "Unser Favorit für dich", "Sie": "Unser Favorit für Sie"},
        "en": "Our top pick for you",
    },
    "compare.only_differences": {"de": "Nur Unterschiede", "en": "Only differences"},
    "compare.showing_differences": {"de": "Nur Unterschiede: an", "en": "Only differences: on"},
    "compare.showing_all": {"de": "Nur Unterschiede: aus", "en": "Only differences: off"},
    "compare.repairability": {"de": "Reparierbarkeit", "en": "Repairability"},
    "compare.recycled_share": {"de": "Recycelter Anteil", "en": "Recycled share"},
    "compare.remove": {"de": "Entfernen", "en": "Remove"},
    "compare.misses": {  # a compared product that does not meet every wish (the answers changed since)
        "de": {"du": "Passt nicht zu deinen Antworten: {wishes}", "Sie": "Passt nicht zu Ihren Antworten: {wishes}"},
        "en": "Does not fit your answers: {wishes}",
    },
    # The comparison's button with one product ticked (compare.compare_action): it needs a second
    "compare.pick_one_more": {"de": "Noch eins zum Vergleichen wählen", "en": "Pick one more to compare"},
    "compare.swipe": {
        "de": "{count} Produkte – seitlich wischen für alle",
        "en": "{count} products – swipe sideways to see all",
    },
    "compare.removed": {"de": "{name} aus dem Vergleich entfernt.", "en": "{name} removed from the comparison."},
    "compare.empty": {
        "de": {"du": "Wähle bei den Ergebnissen bis zu drei Produkte zum Vergleichen.",
               "Sie": "Wählen Sie bei den Ergebnissen bis zu drei Produkte zum Vergleichen."},
        "en": "Choose up to three products to compare on the results.",
    },
    "web.compare_count": {"de": "Vergleichen ({count})", "en": "Compare ({count})"},
    "compare.better": {"de": "besser", "en": "better"},
    "compare.full": {"de": "nicht möglich, höchstens {count} Produkte; zuerst eines abwählen",
                     "en": "not possible, at most {count} products; deselect one first"},
    # − and + on a number question: the number each leads to ("Mehr: 4 Personen"), and the one in the field
    "web.less": {"de": "Weniger: {value}", "en": "Less: {value}"},
    "web.less.plain": {"de": "Weniger", "en": "Less"},
    "web.more": {"de": "Mehr: {value}", "en": "More: {value}"},
    "web.more.plain": {"de": "Mehr", "en": "More"},
    "web.number_now": {"de": "Jetzt: {value}", "en": "Now: {value}"},
    "web.more_reasons": {"de": "Mehr zu diesem Produkt", "en": "More about this product"},
    "decide.cheapest": {"de": "am günstigsten von den {n} ({value})", "en": "the cheapest of the {n} ({value})"},
    "decide.best": {
        "de": "{attribute}: am besten von den {n} ({value})",
        "en": "the best {attribute} of the {n} ({value})",
    },
    "decide.most": {"de": "am meisten {attribute} von den {n} ({value})",
                    "en": "the most {attribute} of the {n} ({value})"},
    "decide.least": {"de": "am wenigsten {attribute} von den {n} ({value})",
                     "en": "the least {attribute} of the {n} ({value})"},
    "decide.only": {"de": "als einziges Modell mit {attribute}", "en": "the only one with {attribute}"},
    "decide.of_two": {"de": "{better} als die Alternative ({value})", "en": "{better} than the other one ({value})"},
    "decide.better_than_some": {"de": "{better} als {beaten} der {others} anderen ({value})",
                                "en": "{better} than {beaten} of the {others} others ({value})"},
    "decide.cheaper": {"de": "günstiger", "en": "cheaper"},
    "decide.pricier": {"de": "teurer", "en": "pricier"},
    "decide.more": {"de": "mehr {attribute}", "en": "more {attribute}"},
    "decide.less": {"de": "weniger {attribute}", "en": "less {attribute}"},
    "decide.versus_top": {"de": "Im Vergleich zum Favoriten: {differences}",
                          "en": "Against the top pick: {differences}"},
    "decide.like_top": {"de": "Ähnlich wie der Favorit", "en": "Much like the top pick"},
    "decide.trade": {"de": "{better}, aber {worse}", "en": "{better}, but {worse}"},
    "decide.similar_but": {"de": "Ähnlich, aber {worse}", "en": "Similar, but {worse}"},
    # Relaxations, critiques, why-not
    "relaxation.without": {"de": "ohne {labels}: {count} {category}", "en": "without {labels}: {count} {category}"},
    "relaxation.without.one": {"de": "ohne {labels}: 1 {category}", "en": "without {labels}: 1 {category}"},
    "relaxation.at_least": {"de": "mindestens {count} anzeigen", "en": "show at least {count}"},
    "critique.lower": {"de": "{word}", "en": "{word}"},
    "results.critiques": {"de": "Wie das erste, aber:", "en": "Like the first, but:"},
    "results.clear_critiques": {"de": "Verfeinerung aufheben", "en": "Undo the refinement"},
    "critique.word.weight_kg": {"de": "leichter", "en": "lighter"},
    "critique.word.weight_g": {"de": "leichter", "en": "lighter"},
    "critique.word.price": {"de": "günstiger", "en": "cheaper"},
    "critique.word.roomier": {"de": "geräumiger", "en": "roomier"},
    "critique.word.warmer": {"de": "wärmer", "en": "warmer"},
    "critique.word.smaller_packed": {"de": "kleiner verpackt", "en": "smaller packed"},
    "critique.word.more": {"de": "mehr {attribute}", "en": "more {attribute}"},
    "critique.word.less": {"de": "weniger {attribute}", "en": "less {attribute}"},
    "why_not.breaks": {"de": "erfüllt nicht: {label}", "en": "does not meet: {label}"},
    "why_not.no_variant": {
        "de": "erfüllt jeden Wunsch in einer seiner Ausführungen, aber keine Ausführung alle zusammen",
        "en": "meets each wish in one of its versions, but no single version meets them all",
    },
    "why_not.shown": {
        "de": "erfüllt alle Wünsche und steht in den Ergebnissen (Platz {rank}; {count} passen)",
        "en": "meets every wish and is on the results (place {rank}; {count} fit)",
    },
    "why_not.ranked": {
        "de": "erfüllt alle Wünsche, steht aber nach Punkten auf Platz {rank} von {count}; die Ergebnisse zeigen "
        "{show} (results: show)",
        "en": "meets every wish but comes {rank} of {count} by score; the results show {show} (results: show)",
    },
    "why_not.variety": {
        "de": "erfüllt alle Wünsche und stünde auf Platz {rank} von {count}; die Vielfalt-Regel (results: diversity, "
        "{attribute}) gibt seinen Platz einem Produkt anderer Art",
        "en": "meets every wish and would come {rank} of {count}; the variety rule (results: diversity, {attribute}) "
        "gives its place to a product of another kind",
    },
    "why_not.change": {"de": "{step}: {answer} statt {current}", "en": "{step}: {answer} instead of {current}"},
    "answer.dont_care": {"de": "Egal", "en": "Doesn't matter"},
    "answer.dont_know": {"de": "Weiß ich nicht", "en": "Don't know"},
    "answer.dropped": {
        "de": "{answer} – verzichtet, damit etwas passt",
        "en": "{answer} – dropped so that something fits",
    },
    "answer.dropped_some": {
        "de": "{answer} (verzichtet auf {dropped}, damit etwas passt)",
        "en": "{answer} ({dropped} dropped so that something fits)",
    },
    "answer.yes": {"de": "Ja", "en": "Yes"},
    "answer.no": {"de": "Nein", "en": "No"},
    "answer.none": {"de": "Keine Angabe", "en": "No answer"},
    "requirement.default_label": {"de": "passt zu „{answer}“", "en": "suits “{answer}”"},
    "requirement.answered_label": {"de": "{question}: {answer}", "en": "{question}: {answer}"},
    "unit.persons": {"de": "Personen", "en": "people"},
    "unit.persons.one": {"de": "Person", "en": "person"},
    "unit.seasons": {"de": "Jahreszeiten", "en": "seasons"},
    "unit.seasons.one": {"de": "Jahreszeit", "en": "season"},
    "unit.min": {"de": "Min.", "en": "min"},
    "unit.cuin": {"de": "cuin", "en": "cuin"},
    "unit.nights": {"de": "Nächte", "en": "nights"},
    "unit.nights.one": {"de": "Nacht", "en": "night"},
    "unit.months": {"de": "Monate", "en": "months"},
    "unit.months.one": {"de": "Monat", "en": "month"},
    "unit.seconds": {"de": "Sekunden", "en": "seconds"},
    "unit.seconds.one": {"de": "Sekunde", "en": "second"},
    "unit.minutes": {"de": "Minuten", "en": "minutes"},
    "unit.minutes.one": {"de": "Minute", "en": "minute"},
    "unit.litres": {"de": "Liter", "en": "litres"},
    "unit.litres.one": {"de": "Liter", "en": "litre"},
    "unit.cubic_inches": {"de": "Kubikzoll", "en": "cubic inches"},
    "unit.cubic_inches.one": {"de": "Kubikzoll", "en": "cubic inch"},
    "unit.millilitres": {"de": "Milliliter", "en": "millilitres"},
    "unit.millilitres.one": {"de": "Milliliter", "en": "millilitre"},
    "unit.eur": {"de": "€", "en": "€"},
    "unit.percent": {"de": "Prozent", "en": "percent"},  # said aloud for "%" (ui/spoken.py)
    # The merchandisers' insights report and the staff console's Insights (advisor/insights/report.py)
    "report.title": {"de": "Beratung: Auswertung", "en": "Advice: insights"},
    "report.not_here": {"de": "hier nicht vorrätig", "en": "not in stock here"},  # none in the store now
    "report.absent": {  # the products recommended in the period that the store has none of now
        "de": "Empfohlen, aber hier nicht vorrätig: {products}",
        "en": "Recommended, but not in stock here: {products}",
    },
    "report.wish_at": {"de": "{answer} bei {given}", "en": "{answer} at {given}"},  # "Ganz normal bei −20 °C"
    "report.appointments": {"de": "Gebuchte Termine", "en": "Booked appointments"},
    "report.appt.bookings": {"de": "Gebucht", "en": "Booked"},
    "report.appt.bookings_base": {
        "de": "Buchungen im Zeitraum, davon {cancelled} abgesagt",
        "en": "bookings made in the period, {cancelled} of them cancelled",
    },
    "report.appt.showed_up": {"de": "Erschienen", "en": "Showed up"},
    "report.appt.of_held": {"de": "von {count} Terminen im Zeitraum", "en": "of {count} appointments in the period"},
    "report.appt.no_shows": {"de": "Nicht erschienen", "en": "No-shows"},
    "report.appt.show_rate": {
        "de": "{share} der vermerkten Termine wahrgenommen",
        "en": "{share} of the marked appointments kept",
    },
    "report.appt.lead": {"de": "Vorlauf (Median)", "en": "Lead time (median)"},
    "report.appt.lead_base": {"de": "von der Buchung bis zum Termin", "en": "from booking to the appointment"},
    "report.appt.hours": {"de": "{hours} Std.", "en": "{hours} h"},
    "report.appt.days": {"de": "{days} Tage", "en": "{days} days"},
    "report.appt.unmarked.one": {
        "de": "{count} Termin ohne Vermerk (weder eingecheckt noch als nicht erschienen markiert)",
        "en": "{count} appointment unmarked (neither checked in nor marked as a no-show)",
    },
    "report.appt.unmarked.other": {
        "de": "{count} Termine ohne Vermerk (weder eingecheckt noch als nicht erschienen markiert)",
        "en": "{count} appointments unmarked (neither checked in nor marked as a no-show)",
    },
    "report.period": {"de": "Zeitraum", "en": "Period"},
    "report.compared_with": {"de": "verglichen mit {period}", "en": "compared with {period}"},
    "report.all_data": {"de": "alle Daten", "en": "all data"},
    "report.events.one": {"de": "{count} Ereignis", "en": "{count} event"},
    "report.events.other": {"de": "{count} Ereignisse", "en": "{count} events"},
    "report.consultations.one": {"de": "{count} Beratung", "en": "{count} consultation"},
    "report.consultations.other": {"de": "{count} Beratungen", "en": "{count} consultations"},
    "report.questionnaire": {"de": "Fragebogen", "en": "Questionnaire"},
    "report.headline.started": {"de": "Begonnen", "en": "Started"},
    "report.headline.results": {"de": "Bis zum Ergebnis", "en": "Reached results"},
    "report.headline.nothing_fits": {"de": "Nichts passte", "en": "Nothing fitted"},
    "report.headline.handoff": {"de": "Nach dem Team gefragt", "en": "Asked for staff"},
    "report.headline.top_grade": {"de": "Bestbewertung", "en": "Top rating"},
    "report.headline.median_wait": {"de": "Wartezeit (Median)", "en": "Wait (median)"},
    "report.base.started.one": {"de": "von {count} begonnenen Beratung", "en": "of {count} started consultation"},
    "report.base.started.other": {"de": "von {count} begonnenen Beratungen", "en": "of {count} started consultations"},
    "report.base.results.one": {"de": "von {count} Beratung bis zu den Empfehlungen",
                                "en": "of {count} consultation that reached the results"},
    "report.base.results.other": {"de": "von {count} Beratungen bis zu den Empfehlungen",
                                  "en": "of {count} consultations that reached the results"},
    "report.base.ratings.one": {"de": "von {count} Bewertung", "en": "of {count} rating"},
    "report.base.ratings.other": {"de": "von {count} Bewertungen", "en": "of {count} ratings"},
    "report.base.claims.one": {"de": "aus {count} angenommenen Anfrage", "en": "over {count} claimed request"},
    "report.base.claims.other": {"de": "aus {count} angenommenen Anfragen", "en": "over {count} claimed requests"},
    "report.previous": {"de": "Vorperiode: {value}", "en": "previous period: {value}"},
    "report.points": {"de": "Pp.", "en": "pp"},
    "report.range": {"de": "{low} bis {high}", "en": "{low} to {high}"},
    "report.gaps": {"de": "Sortimentslücken: Wünsche, die kein Produkt zusammen erfüllt",
                    "en": "Assortment gaps: wishes no product meets together"},
    "report.gaps_note": {
        "de": "Sortimentslücken: je Kombination von Wünschen, die kein Produkt zusammen erfüllte (die Wünsche, ohne "
              "die es wieder Produkte gab, wie die Beratung sie angeboten hat), die Beratungen mit „nichts passt“, in "
              "denen sie galt – von allen, die mit ihr Ergebnisse sahen. Ein einzelner Wunsch steht nur da, wenn er "
              "allein kein Produkt zuließ. Am nächsten: die Produkte, die alle übrigen Wünsche erfüllen und nur an "
              "diesen scheitern (heutiges Sortiment), mit dem Wunsch, den sie verfehlen.",
        "en": "Assortment gaps: per combination of wishes that no product met together (the wishes without which "
              "products fitted again, as the advice offered them), the consultations with “nothing fits” in which it "
              "was active – of all that saw results with it. A single wish is listed only when it alone left no "
              "product. Closest: the products that meet all other wishes and fail only these (today's catalog), with "
              "the wish they miss.",
    },
    "report.gap_wishes": {"de": "Diese Wünsche zusammen", "en": "These wishes together"},
    "report.closest_misses": {"de": "{product} (nicht {wishes})", "en": "{product} (not {wishes})"},
    "report.closest_not": {"de": "nicht {wishes}", "en": "not {wishes}"},
    "report.closest_instead": {"de": "{value} statt {wish}", "en": "{value} instead of {wish}"},
    "report.up_to": {"de": "bis {value}", "en": "up to {value}"},
    "report.at_least": {"de": "ab {value}", "en": "at least {value}"},
    "report.retired": {"de": "{answer} (nicht mehr im Fragebogen)", "en": "{answer} (no longer in the questionnaire)"},
    "report.changed_during": {
        "de": "Der Fragebogen wurde in diesem Zeitraum geändert ({count} Fassungen): Antworten sind nach dem heutigen "
              "Fragebogen benannt; was er nicht mehr anbietet, ist als „nicht mehr im Fragebogen“ gekennzeichnet.",
        "en": "The questionnaire changed during this period ({count} versions): answers are named as today's "
              "questionnaire names them; what it no longer offers is marked “no longer in the questionnaire”.",
    },
    "report.changed_since": {
        "de": "Der Fragebogen wurde seit diesem Zeitraum geändert: Antworten sind nach dem heutigen Fragebogen "
              "benannt; was er nicht mehr anbietet, ist als „nicht mehr im Fragebogen“ gekennzeichnet.",
        "en": "The questionnaire has changed since this period: answers are named as today's questionnaire names "
              "them; what it no longer offers is marked “no longer in the questionnaire”.",
    },
    "report.no_advice": {
        "de": "Keine Beratung in diesem Zeitraum.",
        "en": "No consultation in this period.",
    },
    "report.not_begun": {
        "de": "Dieser Zeitraum hat noch nicht begonnen (heute ist der {today}): noch keine Daten, kein Vergleich.",
        "en": "This period has not begun yet (today is {today}): no data yet, no comparison.",
    },
    "report.until_today": {
        "de": "Der Zeitraum endet erst am {end}: gezählt bis heute, verglichen mit den gleichen Tagen davor.",
        "en": "The period ends only on {end}: counted up to today, compared with the same days before.",
    },
    "report.wish": {"de": "Wunsch", "en": "Wish"},
    "report.nothing_fitted": {"de": "nichts passte", "en": "nothing fitted"},
    "report.closest": {"de": "am nächsten", "en": "closest"},
    "report.gap_pairs": {"de": "Wunschpaare", "en": "Pairs of wishes"},
    "report.runs_of": {"de": "{count} von {base} ({share})", "en": "{count} of {base} ({share})"},
    "report.funnel": {"de": "Fragen: wo Kunden aufhören, was sie antworten",
                      "en": "Questions: where shoppers stop, what they answer"},
    "report.question": {"de": "Frage", "en": "Question"},
    "report.reached": {"de": "erreicht", "en": "reached"},
    "report.stopped": {"de": "hier aufgehört (Quote)", "en": "stopped here (drop-off)"},
    "report.answers": {"de": "Antworten", "en": "Answers"},
    "report.dropped_wishes": {"de": "Aufgegebene Wünsche (Beratungen)", "en": "Wishes dropped (consultations)"},
    "report.most": {
        "de": "Am häufigsten empfohlen: Beratungen (davon Details angesehen)",
        "en": "Recommended most: consultations (details opened)",
    },
    "report.opened": {"de": "{name} ({share} angesehen)", "en": "{name} ({share} opened)"},
    "report.never": {"de": "Nie empfohlen ({count})", "en": "Never recommended ({count})"},
    "report.none": {"de": "keine", "en": "none"},
    "report.handoff": {"de": "Übergabe an das Team", "en": "Handoff to staff"},
    "report.withdrawn.one": {"de": "{count} Anfrage binnen {within} s zurückgezogen (nicht mitgezählt)",
                             "en": "{count} request withdrawn within {within} s (not counted)"},
    "report.withdrawn.other": {"de": "{count} Anfragen binnen {within} s zurückgezogen (nicht mitgezählt)",
                               "en": "{count} requests withdrawn within {within} s (not counted)"},
    "report.wait_p90": {"de": "{share} der angenommenen Anfragen kamen binnen {p90} dran",  # share: percent(90)
                        "en": "{share} of the claimed requests were taken within {p90}"},
    "report.never_claimed.one": {
        "de": "{count} Anfrage nie angenommen (nach {within} s oder später zurückgezogen, oder abgelaufen)",
        "en": "{count} request never claimed (withdrawn after {within} s or later, or expired)"},
    "report.never_claimed.other": {
        "de": "{count} Anfragen nie angenommen (nach {within} s oder später zurückgezogen, oder abgelaufen)",
        "en": "{count} requests never claimed (withdrawn after {within} s or later, or expired)"},
    "report.rating_grades": {"de": "Bewertung der Beratung (Schulnoten)",
                             "en": "Rating of the advice (school grades, 1 is best)"},
    "report.rating_stars": {"de": "Bewertung der Beratung (Sterne)", "en": "Rating of the advice (stars)"},
    "report.contact": {"de": "Bewertung des Kontakts", "en": "Rating of the contact"},
    "report.contact_grades": {"de": "Bewertung des Kontakts (Schulnoten)",
                              "en": "Rating of the contact (school grades, 1 is best)"},
    "report.contact_stars": {"de": "Bewertung des Kontakts (Sterne)", "en": "Rating of the contact (stars)"},
    "report.comments": {"de": "Kommentare", "en": "Comments"},
    "report.definitions": {
        "de": "So wird gezählt: Eine Beratung läuft vom Start bis zum Ergebnis oder Abbruch. Eine Frage ist erreicht, "
              "wenn sie gezeigt wurde; die Abbruchquote teilt die Beratungen, die dort aufgehört haben, durch die, "
              "die sie erreicht haben. Ein Wunsch ist eine Antwort, die Produkte ausschließt. Anfragen an das "
              "Team, die binnen {within} s zurückgezogen wurden, zählen nicht. Die Vorperiode ist der gleich "
              "lange Zeitraum direkt davor.",
        "en": "How it is counted: a consultation runs from the start to the results or giving up. A question is "
              "reached when it was shown; its drop-off divides the consultations that stopped there by those that "
              "reached it. A wish is an answer that rules products out. Requests for staff withdrawn within "
              "{within} s are not counted. The previous period is the period of the same length just before.",
    },
    "report.days": {"de": "Letzte {count} Tage", "en": "Last {count} days"},
    "report.days_all": {"de": "Alle Daten", "en": "All data"},
    "report.loading": {"de": "Wird geladen …", "en": "Loading …"},
    "report.failed": {"de": "Die Auswertung konnte nicht gelesen werden: {error}",
                      "en": "The figures could not be read: {error}"},
    "report.no_data": {"de": "Keine Daten in diesem Zeitraum", "en": "No data in this period"},
    # Screens
    "app.title": {"de": "Nordgrat Beratung", "en": "Nordgrat Advice"},
    "welcome.title": {"de": {"du": "Finde, was zu dir passt", "Sie": "Finden Sie, was zu Ihnen passt"},
                      "en": "Find what suits you"},
    "welcome.subtitle": {
        "de": {"du": "Ein paar Fragen – und unsere Expertise findet das Richtige für dich.",
               "Sie": "Ein paar Fragen – und unsere Expertise findet das Richtige für Sie."},
        "en": "A few questions, and our expertise finds the right gear for you.",
    },
    "welcome.start": {"de": "Beratung starten", "en": "Get advice"},
    "welcome.waiting": {"de": "Die Beratung startet gleich.", "en": "Your advice is about to start."},
    "welcome.out_of_order": {  # the kiosk's database file is damaged (no snapshot to advise from), or its configuration
        "de": {"du": "Dieser Kiosk kann gerade nicht beraten. Frag bitte im Laden nach.",
               "Sie": "Dieser Kiosk kann gerade nicht beraten. Fragen Sie bitte im Laden nach."},
        "en": "This kiosk cannot give advice right now. Please ask in the store.",
    },
    "welcome.problems": {  # over the configuration's mistakes, which are in English as in the journal
        "de": "Für die IT – in der Konfiguration zu korrigieren (steht auch im Journal):",
        "en": "For store IT – to correct in the configuration (also in the journal):",
    },
    "welcome.more_problems": {"de": "Weitere Fehler weiter unten", "en": "More mistakes below"},
    "choose.title": {"de": {"du": "Was suchst du?", "Sie": "Was suchen Sie?"}, "en": "What are you looking for?"},
    "choose.code": {"de": "Mit Code weitermachen", "en": "Continue with a code"},
    "choose.code_hint": {"de": "Schon angefangen – online oder hier?", "en": "Already started, online or here?"},
    "code.title": {
        "de": {"du": "Gib deinen Code ein", "Sie": "Geben Sie Ihren Code ein"},
        "en": "Type your code",
    },
    "code.open": {"de": "Öffnen", "en": "Open"},
    "code.delete": {"de": "Löschen", "en": "Delete"},
    "keyboard.name": {"de": "Bildschirmtastatur", "en": "On-screen keyboard"},
    "keyboard.guide": {
        "de": "Tasten auf dem Bildschirm. Auf und ab wählt eine Taste, Auswahl tippt sie, Zurück ist fertig.",
        "en": "Keys on the screen. Up and down choose a key, select types it, back is done.",
    },
    "keyboard.empty": {"de": "leer", "en": "empty"},
    "keyboard.deleted": {"de": "{character} gelöscht", "en": "{character} deleted"},
    "keyboard.shift": {"de": "Großbuchstabe", "en": "Shift"},
    "keyboard.delete": {"de": "Zeichen löschen", "en": "Delete a character"},
    "keyboard.space": {"de": "Leerzeichen", "en": "Space"},
    "keyboard.done": {"de": "Fertig", "en": "Done"},
    "keyboard.symbols": {"de": "&123", "en": "&123"},
    "keyboard.symbols_name": {"de": "Ziffern und Zeichen", "en": "Numbers and symbols"},
    "keyboard.letters": {"de": "ABC", "en": "ABC"},
    "keyboard.letters_name": {"de": "Buchstaben", "en": "Letters"},
    # A key's name aloud where a voice would skip its sign or misread it (ui/keyboard.key_name)
    "keyboard.period": {"de": "Punkt", "en": "full stop"},
    "keyboard.hyphen": {"de": "Bindestrich", "en": "hyphen"},
    "keyboard.at": {"de": "At-Zeichen", "en": "at sign"},
    "keyboard.underscore": {"de": "Unterstrich", "en": "underscore"},
    "keyboard.apostrophe": {"de": "Apostroph", "en": "apostrophe"},
    "keyboard.comma": {"de": "Komma", "en": "comma"},
    "keyboard.digits": {"de": "null eins zwei drei vier fünf sechs sieben acht neun",
                        "en": "zero one two three four five six seven eight nine"},
    "keyboard.capital": {"de": "großes {letter}", "en": "capital {letter}"},
    "detail.gone": {  # the catalog was updated while the shopper looked at the product
        "de": "Dieses Produkt gibt es nicht mehr im Sortiment.",
        "en": "This product is no longer in the range.",
    },
    "code.not_here": {  # the kiosk's database is damaged or full (the journal says which)
        "de": {"du": "Das geht an diesem Kiosk gerade nicht – frag bitte im Laden nach.",
               "Sie": "Das geht an diesem Kiosk gerade nicht – fragen Sie bitte im Laden nach."},
        "en": "This does not work at this kiosk right now – please ask in the store.",
    },
    "code.not_offered": {  # the questionnaire of the advice is left out at this kiosk (its file has errors)
        "de": {"du": "Diese Beratung kann an diesem Kiosk gerade nicht weitergehen – frag bitte im Laden nach.",
               "Sie": "Diese Beratung kann an diesem Kiosk gerade nicht weitergehen – fragen Sie bitte im Laden nach."},
        "en": "This advice cannot go on at this kiosk right now – please ask in the store.",
    },
    "code.unknown": {
        "de": "Zu diesem Code gibt es keine Beratung (oder sie ist abgelaufen).",
        "en": "No advice has this code (or it has expired).",
    },
    "code.unknown_any": {  # where a repair's pickup code is taken too (the kiosk's and the web's code page)
        "de": "Zu diesem Code gibt es keine Beratung und keine Reparatur (oder die Beratung ist abgelaufen).",
        "en": "No advice or repair has this code (or the advice has expired).",
    },
    "code.pickup": {  # a repair's pickup code typed where a resume code is asked; then what she does next
        "de": {"du": "Das ist der Abholcode deiner Reparatur. Stand: {state}.",
               "Sie": "Das ist der Abholcode Ihrer Reparatur. Stand: {state}."},
        "en": "That is the pickup code of your repair. Status: {state}.",
    },
    "code.wait": {
        "de": "Zu viele falsche Codes. Bitte in {wait} noch einmal.",
        "en": "Too many wrong codes. Please try again in {wait}.",
    },
    "code.incomplete": {  # Enter on a code not yet whole (it is not looked up, and no wrong code is counted)
        "de": "Der Code ist noch nicht vollständig: Er hat {length} Zeichen.",
        "en": "The code is not complete yet: it has {length} characters.",
    },
    "code.checked_in": {  # the code opened a session whose appointment today is now checked in
        "de": {"du": "Du bist für {time} Uhr angemeldet – {staff} weiß Bescheid und kommt zu dir.",
               "Sie": "Sie sind für {time} Uhr angemeldet – {staff} weiß Bescheid und kommt zu Ihnen."},
        "en": "You're checked in for {time} – {staff} knows and will come to you.",
    },
    "code.checked_in_team": {  # the same, the consultant cannot come (off sick, shift over, or the shopper is late)
        "de": {"du": "Du bist für {time} Uhr angemeldet – das Team weiß Bescheid, jemand kommt so bald wie möglich "
               "zu dir.",
               "Sie": "Sie sind für {time} Uhr angemeldet – das Team weiß Bescheid, jemand kommt so bald wie möglich "
               "zu Ihnen."},
        "en": "You're checked in for {time} – the team knows and someone will come to you as soon as they can.",
    },
    "code.not_due": {  # the code opened the advice; its appointment today is too far ahead to check in yet
        "de": {"du": "Dein Termin ist heute um {time} Uhr. Einchecken kannst du ab {opens} Uhr – gib dann deinen "
               "Code noch einmal ein.",
               "Sie": "Ihr Termin ist heute um {time} Uhr. Einchecken können Sie ab {opens} Uhr – geben Sie dann "
               "Ihren Code noch einmal ein."},
        "en": "Your appointment is today at {time}. You can check in from {opens} – just type your code again then.",
    },
    "code.later_day": {  # the code opened the advice; its appointment is on another day
        "de": {"du": "Dein Termin ist am {day} um {time} Uhr. Einchecken kannst du an dem Tag ab einer Stunde "
               "vorher.",
               "Sie": "Ihr Termin ist am {day} um {time} Uhr. Einchecken können Sie an dem Tag ab einer Stunde "
               "vorher."},
        "en": "Your appointment is on {day} at {time}. You can check in on the day, from an hour before.",
    },
    "code.no_show": {  # the code opened the advice; today's appointment was marked as missed
        "de": {"du": "Deinen Termin heute um {time} Uhr hast du verpasst. Einen neuen kannst du bei deinen "
               "Empfehlungen mit „Termin vereinbaren“ buchen – oder sprich jemanden im Laden an.",
               "Sie": "Ihren Termin heute um {time} Uhr haben Sie verpasst. Einen neuen können Sie bei Ihren "
               "Empfehlungen mit „Termin vereinbaren“ buchen – oder sprechen Sie jemanden im Laden an."},
        "en": "You missed your appointment today at {time}. Book a new one from your results with “Book an "
        "appointment” – or ask someone in the store.",
    },
    "question.why": {"de": "Warum fragen wir das?", "en": "Why do we ask?"},
    "question.dont_care": {"de": "Ist mir egal", "en": "Doesn't matter"},
    "question.dont_know": {"de": "Weiß ich nicht", "en": "I don't know"},
    "question.choose_any": {"de": "Mehrere Antworten möglich", "en": "Choose any that apply"},
    "question.range": {"de": "{low} bis {high}", "en": "{low} to {high}"},
    "question.dropped": {
        "de": "Verzichtet, damit etwas passt: {answer}",
        "en": "Dropped so that something fits: {answer}",
    },
    "question.next": {"de": "Weiter", "en": "Next"},
    "question.back": {"de": "Zurück", "en": "Back"},
    "question.less": {"de": "Weniger {unit}", "en": "Less {unit}"},
    "question.more": {"de": "Mehr {unit}", "en": "More {unit}"},
    "question.progress": {"de": "Frage {done} von {total}", "en": "Question {done} of {total}"},
    "question.live_count": {"de": "{count} {category} passen", "en": "{count} {category} fit"},
    "question.live_count.one": {"de": "1 {category} passt", "en": "1 {category} fits"},
    "noun.product": {"de": "Produkt", "en": "product"},  # one product of a category that names no singular
    "recommend.score": {"de": "Punktzahl {score}", "en": "score {score}"},  # `advisor recommend`, beside the price
    "results.best_of": {"de": "{fit} – hier die {shown} besten", "en": "{fit} – here are the best {shown}"},
    "question.yes": {"de": "Ja", "en": "Yes"},
    "question.no": {"de": "Nein", "en": "No"},
    "overview.title": {"de": {"du": "Deine Antworten", "Sie": "Ihre Antworten"}, "en": "Your answers"},
    "overview.change": {"de": "Ändern", "en": "Change"},
    "results.title": {"de": {"du": "Das passt zu dir", "Sie": "Das passt zu Ihnen"}, "en": "Our picks for you"},
    "results.none": {
        "de": {"du": "Leider passt nichts zu allen deinen Wünschen.",
               "Sie": "Leider passt nichts zu allen Ihren Wünschen."},
        "en": "Nothing fits all your wishes.",
    },
    "results.dropped": {
        "de": {"du": "Darauf hast du verzichtet: {wishes}", "Sie": "Darauf haben Sie verzichtet: {wishes}"},
        "en": "You dropped: {wishes}",
    },
    "results.relax_hint": {
        "de": "So passt wieder etwas:",
        "en": "This makes something fit:",
    },
    "results.repair_one": {
        "de": "Mit einer Änderung passen {count} {category}",
        "en": "With one change, {count} {category} fit",
    },
    "results.repair_more": {
        "de": "Mit {changes} Änderungen passen {count} {category}",
        "en": "With {changes} changes, {count} {category} fit",
    },
    "results.repair_one.one": {
        "de": "Mit einer Änderung passt 1 {category}", "en": "With one change, 1 {category} fits",
    },
    "results.repair_more.one": {
        "de": "Mit {changes} Änderungen passt 1 {category}", "en": "With {changes} changes, 1 {category} fits",
    },
    "results.repair_one_upto": {
        "de": "Mit einer Änderung passen bis zu {count} {category}",
        "en": "With one change, up to {count} {category} fit",
    },
    "results.repair_more_upto": {
        "de": "Mit {changes} Änderungen passen bis zu {count} {category}",
        "en": "With {changes} changes, up to {count} {category} fit",
    },
    # The first (highlighted) change brings fewer than another of its size: no count above it, the buttons say them.
    "results.repair_one_some": {
        "de": "Mit einer Änderung passt wieder etwas",
        "en": "With one change, something fits again",
    },
    "results.repair_more_some": {
        "de": "Mit {changes} Änderungen passt wieder etwas",
        "en": "With {changes} changes, something fits again",
    },
    "results.nothing_to_drop": {
        "de": {"du": "Unser Team findet mit dir eine Lösung.", "Sie": "Unser Team findet mit Ihnen eine Lösung."},
        "en": "Our team will find a way with you.",
    },
    "results.ask_staff": {
        "de": {"du": "Lieber mit jemandem vom Team sprechen", "Sie": "Lieber mit jemandem vom Team sprechen"},
        "en": "Rather talk to someone from the team",
    },
    "relaxation.action": {  # {labels}: each in quotes unless it quotes already (core.quoted)
        "de": "{labels} weglassen – {count} {category} zeigen",
        "en": "Drop {labels} – show {count} {category}",
    },
    "relaxation.action.one": {
        "de": "{labels} weglassen – 1 {category} zeigen", "en": "Drop {labels} – show 1 {category}",
    },
    "results.compare": {"de": "Vergleichen", "en": "Compare"},
    "results.details": {"de": "Details", "en": "Details"},
    "results.restart": {"de": "Neu beginnen", "en": "Start over"},
    "detail.why": {"de": {"du": "Warum es zu dir passt", "Sie": "Warum es zu Ihnen passt"}, "en": "Why it suits you"},
    "detail.specs": {"de": "Technische Daten", "en": "Specifications"},
    "detail.care": {"de": "Pflege", "en": "Care"},
    "detail.repair": {"de": "Reparatur", "en": "Repair"},
    "detail.sustainability": {"de": "Nachhaltigkeit", "en": "Sustainability"},
    "detail.where": {"de": "Hier im Laden", "en": "In this store"},
    "detail.in_stock": {"de": "{count} vorrätig – {location}", "en": "{count} in stock – {location}"},
    # (the same without a shelf: a catalog that names none)
    "detail.in_stock_here": {"de": "{count} vorrätig", "en": "{count} in stock"},
    "detail.variant_in_stock_here": {"de": "{variant}: {count} vorrätig", "en": "{variant}: {count} in stock"},
    "detail.variants_in_stock_here": {"de": "Vorrätig in {variants}", "en": "In stock in {variants}"},
    "detail.out_of_stock": {"de": "Derzeit nicht vorrätig", "en": "Currently out of stock"},
    "detail.variant_in_stock": {"de": "{variant}: {count} vorrätig – {location}",
                                "en": "{variant}: {count} in stock – {location}"},
    "detail.variant_out_of_stock": {"de": "{variant}: hier derzeit nicht vorrätig",
                                    "en": "{variant}: currently out of stock here"},
    # (the same with the other stores that have it: "Lang: hier derzeit nicht vorrätig – in Hamburg: 9")
    "detail.variant_elsewhere": {"de": "{variant}: hier derzeit nicht vorrätig – in {stores}",
                                 "en": "{variant}: currently out of stock here – in {stores}"},
    "detail.variants_in_stock": {"de": "Vorrätig in {variants} – {location}",
                                 "en": "In stock in {variants} – {location}"},
    "price.from": {"de": "ab {price}", "en": "from {price}"},
    "detail.variants_missing": {"de": "nicht in {variants}", "en": "not in {variants}"},
    # What the shopper's own appointment has set aside: theirs to try, not gone (facts.Stock).
    # ("staff": the console's case says it of the customer)
    "detail.held_for_you": {"de": {"du": "Für dich zurückgelegt", "Sie": "Für Sie zurückgelegt",
                                   "staff": "Für den Kunden zurückgelegt"},
                            "en": {"du": "Set aside for you", "staff": "Set aside for the customer"}},
    "detail.variant_held_for_you": {"de": {"du": "{variant}: für dich zurückgelegt",
                                           "Sie": "{variant}: für Sie zurückgelegt",
                                           "staff": "{variant}: für den Kunden zurückgelegt"},
                                    "en": {"du": "{variant}: set aside for you",
                                           "staff": "{variant}: set aside for the customer"}},
    "detail.variants_held_for_you": {"de": {"du": "Für dich zurückgelegt: {variants}",
                                            "Sie": "Für Sie zurückgelegt: {variants}",
                                            "staff": "Für den Kunden zurückgelegt: {variants}"},
                                     "en": {"du": "Set aside for you: {variants}",
                                            "staff": "Set aside for the customer: {variants}"}},
    "detail.more_in_stock": {"de": "{count} weitere vorrätig", "en": "{count} more in stock"},
    "talk.button": {"de": "Mit einer Person sprechen", "en": "Talk to a person"},
    "talk.button.chat": {"de": "Zum Chat mit {name}", "en": "Chat with {name}"},
    "talk.button.chat_waiting": {"de": "Zurück zum Chat", "en": "Back to the chat"},
    "talk.button.coming": {"de": {"du": "{name} kommt zu dir", "Sie": "{name} kommt zu Ihnen"},
                           "en": "{name} is on the way"},
    "talk.button.waiting": {"de": {"du": "Deine Anfrage läuft", "Sie": "Ihre Anfrage läuft"},
                            "en": "Your request is open"},
    "talk.find_staff": {
        "de": {"du": "Sprich gern unser Team an – du erkennst es an den grünen Jacken.",
               "Sie": "Sprechen Sie gern unser Team an – Sie erkennen es an den grünen Jacken."},
        "en": "Please ask our team – look for the green jackets.",
    },
    "language.switch": {"de": "English", "en": "Deutsch"},
    "language.short": {"de": "EN", "en": "DE"},  # the language button where its full word does not fit
    # A number with which nothing fits: the nearest with which something does ("Auf 300 € stellen – 2 Regenjacken
    # passen"; `fits` is question.live_count)
    "question.nearest": {"de": "Auf {value} stellen – {fits}", "en": "Set to {value} – {fits}"},
    "question.more_below": {"de": "Weitere Antworten weiter unten", "en": "More answers below"},
    # The staff console (one language per console, the staff member's choice; about the customer, never to them)
    "console.title": {"de": "Nordgrat Beratung – Team-Konsole", "en": "Nordgrat Advisor – staff console"},
    "console.connecting": {"de": "Verbinde mit der Datenbank …", "en": "Connecting to the database …"},
    "console.unreachable_retry": {
        "de": "Die Datenbank ist nicht erreichbar. Neuer Versuch alle {seconds} s – bitte die Filial-IT informieren.",
        "en": "The database cannot be reached. Trying again every {seconds} s – please tell store IT.",
    },
    "console.sign_in.title": {"de": "Anmeldung für das Team", "en": "Staff sign-in"},
    "console.sign_in.name": {"de": "Name", "en": "Name"},
    "console.sign_in.pin": {"de": "PIN", "en": "PIN"},
    "console.sign_in.button": {"de": "Anmelden", "en": "Sign in"},
    "console.sign_in.language": {"de": "Sprache der Konsole", "en": "Console language"},
    "console.sign_in.wrong": {"de": "Name oder PIN falsch.", "en": "Name or PIN wrong."},
    "console.sign_in.wait": {  # too many wrong PINs for this name: even the right one waits (advisor.handoff.staff)
        "de": "Zu viele falsche Versuche. Bitte in {wait} noch einmal versuchen.",
        "en": "Too many wrong tries. Please try again in {wait}.",
    },
    "console.sign_in.unreachable": {
        "de": "Die Datenbank ist nicht erreichbar. Bitte die Filial-IT informieren.",
        "en": "The database cannot be reached. Please tell store IT.",
    },
    "console.queue": {"de": "Wartende Kunden", "en": "Customers waiting"},
    "console.queue.empty": {"de": "Niemand wartet.", "en": "Nobody is waiting."},
    "console.claim": {"de": "Übernehmen", "en": "Claim"},
    "console.my_cases": {"de": "Meine Fälle", "en": "My cases"},
    "console.close_case": {"de": "Fall abschließen", "en": "Close case"},
    "console.to_phone": {"de": "Aufs Handy", "en": "To the phone"},
    "console.key.hint": {"de": "Taste: {keys}", "en": "Key: {keys}"},
    "console.key.ctrl": {"de": "Strg", "en": "Ctrl"},
    "console.key.enter": {"de": "Eingabe", "en": "Enter"},
    "console.code": {"de": "Code (ABCD-2345)", "en": "Code (ABCD-2345)"},
    "console.open_code": {"de": "Öffnen", "en": "Open"},
    "console.insights": {"de": "Auswertung", "en": "Insights"},
    "console.alert.one": {"de": "Ein Kunde wartet – bitte übernehmen", "en": "A customer is waiting – please claim"},
    "console.alert.other": {
        "de": "{count} Kunden warten – bitte übernehmen", "en": "{count} customers are waiting – please claim",
    },
    "console.notify.title": {"de": "Kunde wartet", "en": "Customer waiting"},
    "console.dismiss": {"de": "Ausblenden", "en": "Dismiss"},
    "console.empty_case": {
        "de": "Kein Fall gewählt: einen wartenden Kunden übernehmen oder eine Beratung per Code öffnen.",
        "en": "No case chosen: claim a waiting customer or open an advice session by its code.",
    },
    "console.section.answers": {"de": "Antworten", "en": "Answers"},
    "console.section.shortlist": {"de": "Empfehlungen (wie am Kiosk)", "en": "Shortlist (as the customer sees it)"},
    "console.section.history": {"de": "Verlauf", "en": "What happened"},
    "console.section.chat": {"de": "Chat mit dem Kunden", "en": "Chat with the customer"},
    "console.section.notes": {"de": "Notizen (nur für das Team)", "en": "Notes (staff only)"},
    "console.section.change": {"de": "Antwort ändern", "en": "Change an answer"},
    "console.open_step": {"de": "noch offen", "en": "not answered yet"},
    "console.choose_answer": {"de": "Antwort wählen …", "en": "Choose an answer …"},
    "console.new_step": {"de": "neu – bitte fragen", "en": "new – please ask"},
    "console.open_step.short": {"de": "offen", "en": "open"},
    "console.new_step.short": {"de": "neu – fragen", "en": "new – ask"},
    "console.open_steps.one": {"de": "1 noch offen", "en": "1 not answered yet"},
    "console.open_steps.other": {"de": "{count} noch offen", "en": "{count} not answered yet"},
    "console.section.picks": {"de": "Empfehlungen", "en": "Shortlist"},
    "console.picks.as_kiosk": {"de": "wie beim Kunden", "en": "as the customer sees it"},
    "console.last_viewed": {"de": "Zuletzt angesehen: {product}", "en": "Last viewed: {product}"},
    "console.in_person": {"de": "Kunde wartet am Kiosk", "en": "Customer waiting at the kiosk"},
    "console.cases.empty": {
        "de": "Noch keine Fälle – eine Anfrage aus der Warteschlange übernehmen",
        "en": "No cases yet – claim a request from the queue",
    },
    "console.preview": {"de": "Wartet – noch nicht übernommen", "en": "Waiting – not claimed yet"},
    "console.preview.asked": {"de": "Fragt: „{words}“", "en": "Asks: “{words}”"},
    "console.asked": {"de": "angefragt {time}", "en": "asked at {time}"},
    "console.number_value": {"de": "Zahl (unten)", "en": "A number (below)"},
    "console.change": {"de": "Ändern und neu beraten", "en": "Change and re-run"},
    "console.changed": {
        "de": "Geändert – der Kiosk zeigt die neue Empfehlung.", "en": "Changed – the kiosk shows the new advice.",
    },
    "console.changed_opened": {
        "de": "Geändert – neu offen: {steps}. Bitte mit dem Kunden klären.",
        "en": "Changed – now open: {steps}. Please ask the customer.",
    },
    "console.notes.saving": {"de": "Speichert …", "en": "Saving …"},
    "console.notes.saved": {"de": "Gespeichert {time}", "en": "Saved {time}"},
    "console.notes.failed": {"de": "Nicht gespeichert", "en": "Not saved"},
    "console.notes.merged": {
        "de": "Ein Kollege hat die Notizen inzwischen ergänzt – beides ist jetzt drin.",
        "en": "A colleague added to the notes meanwhile – both are kept now.",
    },
    "console.notes.merged_cut": {  # the merge came to more than a note holds: the end of this console's words is cut
        "de": "Ein Kollege hat die Notizen inzwischen ergänzt – zusammen waren es über {count} Zeichen: Das Ende "
              "Ihrer Notiz ({cut} Zeichen) passte nicht mehr hinein und liegt in der Zwischenablage.",
        "en": "A colleague added to the notes meanwhile – together they came to over {count} characters: the end of "
              "your note ({cut} characters) did not fit and is on the clipboard.",
    },
    "console.quit.title": {"de": "Fenster schließen?", "en": "Close the window?"},
    "console.quit.pending.one": {"de": "1 Änderung ist noch nicht gespeichert", "en": "1 change is not saved yet"},
    "console.quit.pending.other": {
        "de": "{count} Änderungen sind noch nicht gespeichert", "en": "{count} changes are not saved yet",
    },
    "console.quit.unsent.one": {  # words typed into a chat (the case shown, or another kept for its case), not sent
        "de": "1 getippte Nachricht an einen Kunden ist noch nicht gesendet",
        "en": "1 message typed to a customer is not sent yet",
    },
    "console.quit.unsent.other": {
        "de": "{count} getippte Nachrichten an Kunden sind noch nicht gesendet",
        "en": "{count} messages typed to customers are not sent yet",
    },
    "console.quit.and": {"de": "{first}, und {second}", "en": "{first}, and {second}"},
    "console.quit.question": {"de": "{what} – trotzdem schließen?", "en": "{what} – close anyway?"},
    "console.quit.confirm": {"de": "Trotzdem schließen", "en": "Close anyway"},
    "console.quit.keep": {"de": "Offen lassen", "en": "Keep open"},
    "console.message": {"de": "Nachricht an den Kunden", "en": "Message to the customer"},
    "console.send": {"de": "Senden", "en": "Send"},
    "console.customer": {"de": "Kunde", "en": "Customer"},
    "console.chat.unsent": {"de": "wird gesendet …", "en": "sending …"},
    "console.chat.ended": {
        "de": "— Der Kunde hat beendet. Das Gespräch bleibt hier lesbar, bis Sie einen anderen Fall öffnen.",
        "en": "— The customer has ended. The conversation stays readable here until you open another case.",
    },
    "console.chat.ended_of": {"de": "— Gespräch mit {code}, beendet —", "en": "— Conversation with {code}, ended —"},
    "console.unread.one": {"de": "1 neue Nachricht", "en": "1 new message"},
    "console.unread.other": {"de": "{count} neue Nachrichten", "en": "{count} new messages"},
    "console.close.title": {"de": "Fall abschließen?", "en": "Close this case?"},
    "console.close.notes": {"de": "Die Notizen sind noch nicht gespeichert.", "en": "The notes are not saved yet."},
    "console.close.message": {
        "de": "Die Nachricht im Eingabefeld ist noch nicht gesendet.", "en": "The message you typed is not sent yet.",
    },
    "console.close.save": {"de": "Speichern und abschließen", "en": "Save and close"},
    "console.close.discard": {"de": "Verwerfen und abschließen", "en": "Discard and close"},
    "console.close.cancel": {"de": "Weiter bearbeiten", "en": "Keep editing"},
    "console.faster": {
        "de": "{staff} hat diesen Kunden schon übernommen.",
        "en": "{staff} was faster: this customer is already being helped.",
    },
    "console.claim_ended": {
        "de": "Der Kunde hat die Anfrage beendet (oder den Kiosk verlassen), bevor sie übernommen wurde.",
        "en": "The customer ended the request (or left the kiosk) before it was claimed.",
    },
    "console.choose_case": {"de": "Bitte erst einen Fall wählen.", "en": "Please choose a case first."},
    "console.no_public": {
        "de": "Öffentliche Webadresse fehlt ([web] public_base_url): keine QR-Codes fürs Handy. Bitte die Filial-IT "
              "informieren.",
        "en": "No public web address ([web] public_base_url): no QR codes for phones. Please tell store IT.",
    },
    "console.phone.title": {"de": "Aufs Handy", "en": "To the phone"},
    "console.phone.scan": {
        "de": "Der Kunde scannt den Code einmal, innerhalb von 5 Minuten · Code {code}",
        "en": "The customer scans it once, within 5 minutes · code {code}",
    },
    "console.phone.close": {"de": "Schließen", "en": "Close"},
    "console.problem.database": {
        "de": "Die Datenbank ist gerade nicht erreichbar. Nichts ist verloren; bitte gleich noch einmal versuchen.",
        "en": "The database cannot be reached right now. Nothing is lost; please try again in a moment.",
    },
    "console.problem.not_done": {
        "de": "Die Datenbank hat das gerade nicht angenommen, sie antwortet nicht. Bitte gleich noch einmal versuchen.",
        "en": "The database did not take that just now, it is not answering. Please try again in a moment.",
    },
    "console.problem.waiting.one": {
        "de": "Die Datenbank nimmt gerade nichts an. Eine Änderung wartet und wird gespeichert, sobald sie wieder "
        "antwortet – bitte das Fenster offen lassen.",
        "en": "The database is not taking changes right now. One change is waiting and will be saved as soon as it "
        "answers again – please keep this window open.",
    },
    "console.problem.waiting.other": {
        "de": "Die Datenbank nimmt gerade nichts an. {count} Änderungen warten und werden der Reihe nach gespeichert, "
        "sobald sie wieder antwortet – bitte das Fenster offen lassen.",
        "en": "The database is not taking changes right now. {count} changes are waiting and will be saved in order "
        "as soon as it answers again – please keep this window open.",
    },
    "console.problem.gone": {
        "de": "Diese Beratung ist abgelaufen oder wurde gelöscht.",
        "en": "This advice session has expired or was deleted.",
    },
    "console.refused.moved": {
        "de": "Das geht nicht mehr: Der Fall hat sich inzwischen geändert (übernommen, beendet oder abgebrochen).",
        "en": "Not any more: the case changed meanwhile (claimed, closed or withdrawn).",
    },
    "console.refused.chat_over": {"de": "Der Chat ist beendet.", "en": "The chat is over."},
    "console.refused.taken_over": {
        "de": "{staff} hat diesen Fall übernommen: Ihre Änderung ist nicht gespeichert.",
        "en": "{staff} has taken over this case: your change was not saved.",
    },
    "console.taken_by": {
        "de": "Fall {code}: {staff} hat ihn übernommen (Sie waren abgemeldet).",
        "en": "Case {code}: {staff} has taken it over (you were signed out).",
    },
    "console.refused.gone": {
        "de": "Die Notizen wurden nicht gespeichert: Diese Beratung wurde gelöscht.",
        "en": "The notes were not saved: this advice session has been deleted.",
    },
    "console.refused.no_customer": {
        "de": "Die Notizen wurden nicht gespeichert: Die Daten dieser Kundin oder dieses Kunden wurden gelöscht.",
        "en": "The notes were not saved: this customer's data has been deleted.",
    },
    "console.refused.too_long": {
        "de": "Eine Nachricht hat höchstens {count} Zeichen.", "en": "A message has at most {count} characters.",
    },
    "console.refused.repair_moved": {
        "de": "Das geht nicht mehr: Der Auftrag ist inzwischen „{state}“.",
        "en": "Not any more: the order is “{state}” by now.",
    },
    "console.refused.other": {
        "de": "Das ging nicht. Bitte noch einmal versuchen.", "en": "That did not work. Please try again.",
    },
    "console.problem.session": {
        "de": "Diese Beratung lässt sich hier nicht öffnen: {reason}",
        "en": "This advice session cannot be opened here: {reason}",
    },
    "console.problem.code": {"de": "Kein gültiger Code: {reason}", "en": "Not a valid code: {reason}"},
    "console.kind.consultant": {"de": "Beratung vor Ort", "en": "In person at the kiosk"},
    "console.kind.chat": {"de": "Chat am Kiosk", "en": "Chat from the kiosk"},
    "console.kind.chat_web": {"de": "Chat vom Handy", "en": "Chat from a phone"},
    "console.kind.phone": {"de": "Aufs Handy", "en": "To the phone"},
    "console.kind.summary": {"de": "Zusammenfassung", "en": "Summary"},
    "console.kind.code": {"de": "Per Code geöffnet", "en": "Opened by code"},
    "console.kind.appointment": {"de": "Gebuchter Termin", "en": "Booked appointment"},
    "console.appointments": {"de": "Termine", "en": "Appointments"},
    "console.appt.range.today": {"de": "Heute", "en": "Today"},
    "console.appt.range.week": {"de": "Die nächsten 7 Tage", "en": "The next 7 days"},
    "console.appt.range.all": {"de": "Alle kommenden", "en": "All upcoming"},
    "console.appt.code": {"de": "Code des Kunden (ABCD-2345)", "en": "Customer's code (ABCD-2345)"},
    "console.appt.check_in_code": {"de": "Einchecken", "en": "Check in"},
    "console.appt.check_in": {"de": "Ist da – einchecken", "en": "Arrived – check in"},
    "console.appt.no_show": {"de": "Nicht erschienen", "en": "No-show"},
    "console.appt.cancel": {"de": "Termin absagen", "en": "Cancel appointment"},
    "console.appt.move": {"de": "Verschieben …", "en": "Move …"},
    "console.appt.phone": {"de": "Telefonbuchung …", "en": "Book for a caller …"},
    "console.appt.team": {"de": "Team und Schichten …", "en": "Team and shifts …"},
    "console.appt.none": {"de": "Keine Termine in dieser Zeit.", "en": "No appointments in this time."},
    "console.appt.choose": {
        "de": "Links einen Termin wählen: dann stehen hier der Kunde, was zu holen ist und die vorbereitete Beratung.",
        "en": "Choose an appointment on the left: the customer, what to fetch and the prepared advice show here.",
    },
    "console.appt.state.booked": {"de": "gebucht", "en": "booked"},
    "console.appt.state.checked_in": {"de": "eingecheckt", "en": "checked in"},
    "console.appt.state.no_show": {"de": "nicht erschienen", "en": "no-show"},
    "console.appt.state.done": {"de": "erledigt", "en": "done"},
    "console.appt.state.cancelled": {"de": "abgesagt", "en": "cancelled"},
    "console.appt.overdue": {"de": "überfällig seit {time}", "en": "overdue since {time}"},  # (grace time over)
    "console.appt.today": {"de": "Heute", "en": "Today"},
    "console.appointment": {"de": "Termin", "en": "Appointment"},
    "console.appt.when": {"de": "{day} {start}–{end} Uhr", "en": "{day} {start}–{end}"},
    "console.appt.with": {"de": "bei {staff}", "en": "with {staff}"},
    "console.appt.fetch": {"de": "Vorher holen", "en": "Bring out beforehand"},
    "console.appt.fetch_count.one": {"de": "1 Produkt holen", "en": "fetch 1 product"},
    "console.appt.fetch_count.other": {"de": "{count} Produkte holen", "en": "fetch {count} products"},
    "console.appt.no_location": {"de": "Lagerort unbekannt", "en": "shelf unknown"},
    "console.appt.nothing_held": {"de": "Keine Produkte zurückgelegt.", "en": "No products set aside."},
    "console.appt.no_session": {
        "de": "Ohne vorbereitete Beratung (telefonisch gebucht oder die Beratung ist abgelaufen).",
        "en": "No prepared advice (booked on the phone, or the advice has expired).",
    },
    "console.appt.prepared": {"de": "Vorbereitete Beratung", "en": "Prepared advice"},
    "console.appt.checked_in": {  # {time}: the appointment's start (not the moment of check-in)
        "de": "{name} ist eingecheckt – Termin {time} Uhr. Die Beratung steht unter „Meine Fälle“.",
        "en": "{name} is checked in – appointment at {time}. The advice is under “My cases”.",
    },
    "console.appt.already": {  # a code read out again: checked in since {since}, for the appointment at {time}
        "de": "{name} ist schon eingecheckt (seit {since} Uhr) – Termin {time} Uhr. Die Beratung steht unter „Meine "
        "Fälle“.",
        "en": "{name} is already checked in (since {since}) – appointment at {time}. The advice is under “My cases”.",
    },
    "console.appt.already_plain": {
        "de": "{name} ist schon eingecheckt (seit {since} Uhr) – Termin {time} Uhr.",
        "en": "{name} is already checked in (since {since}) – appointment at {time}.",
    },
    "console.appt.checked_in_plain": {"de": "{name} ist eingecheckt.", "en": "{name} is checked in."},
    "console.appt.undo_check_in": {"de": "Check-in zurücknehmen", "en": "Undo check-in"},
    "console.appt.undo.undone": {  # the wrong customer checked in, taken back: booked again
        "de": "Check-in von {name} zurückgenommen – der Termin ist wieder gebucht.",
        "en": "Check-in of {name} taken back – the appointment is booked again.",
    },
    "console.appt.undo.not_checked_in": {  # taken back at another console first (or never checked in)
        "de": "{name} ist nicht (mehr) eingecheckt – der Check-in ist schon zurückgenommen, etwa an einer anderen "
        "Konsole.",
        "en": "{name} is not checked in (any more) – the check-in was already taken back, perhaps at another "
        "console.",
    },
    "console.appt.undo.served": {
        "de": "Der Termin von {name} ist schon erledigt: der Check-in bleibt.",
        "en": "{name}'s appointment is already done: the check-in stays.",
    },
    "console.appt.undo.taken_up": {  # a consultant wrote notes on the appointment since its check-in
        "de": "Der Termin von {name} ist schon in Arbeit (Notizen seit dem Check-in): der Check-in bleibt.",
        "en": "{name}'s appointment is already being worked on (notes since the check-in): the check-in stays.",
    },
    "console.appt.undo.not_today": {
        "de": "{name} wurde an einem früheren Tag eingecheckt: nur ein Check-in von heute lässt sich zurücknehmen.",
        "en": "{name} was checked in on an earlier day: only today's check-in can be taken back.",
    },
    "console.appt.late": {  # after a check-in notice (its own sentence, with its subject): too late for the consultant
        "de": "{name} kam {minutes} Min. zu spät – {staff} ist schon beim nächsten Termin oder die Zeit fast um: "
        "bitte übernimmt jemand.",
        "en": "{name} came {minutes} min late – {staff} is already with the next appointment or the time is "
        "nearly up: someone please take over.",
    },
    "console.appt.customer": {  # a checked-in appointment's case: who came, for the appointment at {time}
        "de": "{name} · Termin {time} Uhr",
        "en": "{name} · appointment at {time}",
    },
    "console.appt.state.late": {"de": "eingecheckt {minutes} Min. zu spät", "en": "checked in {minutes} min late"},
    "console.appt.was_no_show": {
        "de": "Der Termin von {name} heute um {time} ist als „nicht erschienen“ vermerkt: bitte einen neuen "
        "vereinbaren.",
        "en": "{name}'s appointment today at {time} is marked as not turned up: please book a new one.",
    },
    "console.appt.no_booking": {
        "de": "Zu diesem Code gibt es heute keinen gebuchten Termin.",
        "en": "There is no booked appointment for this code today.",
    },
    "console.appt.not_due": {
        "de": "Noch nicht einchecken: {name} hat den Termin erst am {day} um {time} – einchecken geht am Termintag "
        "ab einer Stunde vorher.",
        "en": "Not yet: {name}'s appointment is on {day} at {time} – check-in opens an hour before, on the day.",
    },
    "console.appt.not_due_today": {
        "de": "Noch nicht einchecken: {name} hat den Termin heute um {time} – einchecken geht ab {opens}.",
        "en": "Not yet: {name}'s appointment is today at {time} – check-in opens at {opens}.",
    },
    "console.appt.too_early": {
        "de": "„Nicht erschienen“ geht erst {minutes} Minuten nach Beginn.",
        "en": "“No-show” only {minutes} minutes after the start.",
    },
    "console.appt.notes_save": {"de": "Notiz speichern", "en": "Save note"},
    "console.appt.notes_saved": {"de": "Gespeichert {time}", "en": "Saved {time}"},
    "console.appt.notes_limit": {
        "de": "Eine Notiz hat höchstens {count} Zeichen – mehr wurde nicht übernommen.",
        "en": "A note holds at most {count} characters – the rest was not taken.",
    },
    "console.appt.notes_too_long": {
        "de": "Nicht gespeichert: Eine Notiz hat höchstens {count} Zeichen. Bitte kürzen.",
        "en": "Not saved: a note holds at most {count} characters. Please shorten it.",
    },
    "console.appt.cancel_confirm.title": {"de": "Termin absagen?", "en": "Cancel this appointment?"},
    "console.appt.cancel_confirm.text": {
        "de": "{name} – {when}\n\nDer Termin wird abgesagt.",
        "en": "{name} – {when}\n\nThe appointment is cancelled.",
    },
    "console.appt.cancel_confirm.held": {
        "de": "Die zurückgelegten Produkte kommen zurück ins Regal.",
        "en": "The products set aside go back on the shelf.",
    },
    "console.appt.cancel_confirm.mail": {
        "de": "Die Absage geht per E-Mail an {contact}.",
        "en": "The cancellation goes to {contact} by e-mail.",
    },
    "console.appt.cancel_confirm.no_mail": {
        "de": "Es geht keine E-Mail raus – bitte sagen Sie dem Kunden selbst Bescheid.",
        "en": "No e-mail goes out – please tell the customer yourself.",
    },
    "console.appt.cancel_confirm.yes": {"de": "Termin absagen", "en": "Cancel appointment"},
    "console.appt.cancel_confirm.no": {"de": "Nicht absagen", "en": "Keep appointment"},
    "console.appt.cancel_mailed": {
        "de": "Der Kunde bekommt die Absage per E-Mail.",
        "en": "The customer gets the cancellation by e-mail.",
    },
    "console.appt.cancelled": {
        "de": "Termin abgesagt, die Produkte sind wieder frei.",
        "en": "Appointment cancelled, the products are free again.",
    },
    "console.appt.cancelled_none_held": {"de": "Termin abgesagt.", "en": "Appointment cancelled."},
    "console.appt.cancel_ended": {  # not booked any more when staff cancelled it (the customer's link, a colleague)
        "de": "Nichts abgesagt: Der Termin steht inzwischen auf „{state}“.",
        "en": "Nothing cancelled: the appointment is {state} by now.",
    },
    "console.appt.cancel_gone": {  # deleted meanwhile (a customer's erasure)
        "de": "Nichts abgesagt: Diesen Termin gibt es nicht mehr.",
        "en": "Nothing cancelled: this appointment no longer exists.",
    },
    "console.appt.no_show_confirm.title": {"de": "Nicht erschienen?", "en": "Mark as a no-show?"},
    "console.appt.no_show_confirm.text": {
        "de": "{name} – {when}\n\nDer Termin wird als nicht erschienen vermerkt. Das lässt sich nicht zurücknehmen.",
        "en": "{name} – {when}\n\nThe appointment is marked as a no-show. This cannot be taken back.",
    },
    "console.appt.no_show_confirm.held": {
        "de": "Die zurückgelegten Produkte kommen zurück ins Regal.",
        "en": "The products set aside go back on the shelf.",
    },
    "console.appt.no_show_confirm.yes": {"de": "Als nicht erschienen vermerken", "en": "Mark as no-show"},
    "console.appt.no_show_confirm.no": {"de": "Weiter warten", "en": "Keep waiting"},
    "console.appt.no_show_done": {
        "de": "Als nicht erschienen vermerkt, die Produkte sind wieder frei.",
        "en": "Marked as a no-show, the products are free again.",
    },
    "console.appt.no_show_done_none_held": {"de": "Als nicht erschienen vermerkt.", "en": "Marked as a no-show."},
    "console.book.title": {"de": "Termin für einen Anrufer", "en": "Appointment for a caller"},
    "console.move.title": {"de": "Termin verschieben: {name}", "en": "Move the appointment: {name}"},
    "console.move.now": {"de": "Bisher: {when}", "en": "Until now: {when}"},
    "console.move.move": {"de": "Verschieben", "en": "Move"},
    "console.move.current": {"de": "bisher", "en": "until now"},
    "console.move.same": {
        "de": "Das ist die bisherige Zeit – bitte eine andere wählen.",
        "en": "That is the time until now – please choose another one.",
    },
    "console.move.moved": {
        "de": "Verschoben: {name}, jetzt {when} {staff}.",
        "en": "Moved: {name}, now {when} {staff}.",
    },
    "console.move.mailed": {
        "de": "Der Kunde bekommt die neue Zeit per E-Mail.",
        "en": "The customer gets the new time by e-mail.",
    },
    "console.book.category": {"de": "Bereich", "en": "Area"},
    "console.book.day": {"de": "Tag", "en": "Day"},
    "console.book.slots": {"de": "Freie Zeiten", "en": "Free times"},
    "console.book.no_slots": {"de": "An diesem Tag ist nichts frei.", "en": "Nothing is free on this day."},
    "console.book.name": {"de": "Name des Anrufers", "en": "Caller's name"},
    "console.book.contact": {"de": "E-Mail oder Telefon", "en": "E-mail or phone"},
    "console.book.consent": {
        "de": "Der Anrufer ist einverstanden, dass Name und Kontakt bis nach dem Termin gespeichert werden.",
        "en": "The caller agrees that name and contact are stored until after the appointment.",
    },
    "console.book.remind": {"de": "Am Tag vorher erinnern", "en": "Remind the day before"},
    "console.book.book": {"de": "Buchen", "en": "Book"},
    "console.book.close": {"de": "Schließen", "en": "Close"},
    "console.book.consent_needed": {
        "de": "Bitte erst die Zustimmung des Anrufers einholen und ankreuzen.",
        "en": "Please ask the caller for consent first and tick it.",
    },
    "console.book.choose_slot": {"de": "Bitte eine freie Zeit wählen.", "en": "Please choose a free time."},
    "console.book.booked": {
        "de": "Gebucht: {name}, {when} {staff}.",
        "en": "Booked: {name}, {when} {staff}.",
    },
    "console.book.mailed": {
        "de": "Die Bestätigung mit dem Kalendereintrag geht per E-Mail an den Anrufer.",
        "en": "The confirmation with the calendar entry goes to the caller by e-mail.",
    },
    # Booking for the customer of a case: with their advice, in their language (staff speak about the customer).
    "console.book.case": {"de": "Termin buchen", "en": "Book an appointment"},
    "console.book.case.title": {"de": "Termin buchen: {advice}", "en": "Book an appointment: {advice}"},
    "console.book.case.name": {"de": "Name des Kunden", "en": "Customer's name"},
    "console.book.case.consent": {
        "de": "Der Kunde ist einverstanden, dass Name und Kontakt bis nach dem Termin gespeichert werden.",
        "en": "The customer agrees that name and contact are stored until after the appointment.",
    },
    "console.book.case.consent_needed": {
        "de": "Bitte erst die Zustimmung des Kunden einholen und ankreuzen.",
        "en": "Please ask the customer for consent first and tick it.",
    },
    "console.book.case.products": {
        "de": "Zum Ausprobieren zurücklegen (bis zu {count})", "en": "Set aside to try (up to {count})",
    },
    "console.book.case.mail_in.de": {
        "de": "Termin mit der Beratung, Bestätigung und Erinnerung auf Deutsch (die Sprache der Beratung).",
        "en": "Booked with the advice; confirmation and reminder in German (the advice's language).",
    },
    "console.book.case.mail_in.en": {
        "de": "Termin mit der Beratung, Bestätigung und Erinnerung auf Englisch (die Sprache der Beratung).",
        "en": "Booked with the advice; confirmation and reminder in English (the advice's language).",
    },
    "console.book.case.has": {
        "de": "Diese Beratung hat schon einen Termin: Er wird verschoben, kein zweiter gebucht.",
        "en": "This advice has an appointment already: it is moved, no second one is booked.",
    },
    "console.book.case.held": {"de": "Zurückgelegt: {products}.", "en": "Set aside: {products}."},
    "console.book.case.not_held": {
        "de": "Nicht vorrätig, nicht zurückgelegt: {products}.", "en": "Not in stock, not set aside: {products}.",
    },
    "console.book.case.mailed": {
        "de": "Die Bestätigung mit dem Kalendereintrag geht per E-Mail an den Kunden.",
        "en": "The confirmation with the calendar entry goes to the customer by e-mail.",
    },
    "console.team.title": {"de": "Team und Schichten", "en": "Team and shifts"},
    "console.team.person": {"de": "Person", "en": "Person"},
    "console.team.skills": {"de": "Berät zu", "en": "Advises on"},
    "console.team.shifts": {
        "de": "Schicht jede Woche (z. B. 09:30-18:00; leer = frei)",
        "en": "Weekly shift (e.g. 09:30-18:00; empty = off)",
    },
    "console.team.exceptions": {"de": "Ausnahmen (Urlaub, andere Zeiten)", "en": "Exceptions (leave, other hours)"},
    "console.team.exception_span": {"de": "Zeiten an dem Tag (leer = frei)", "en": "Hours that day (empty = off)"},
    "console.team.add_exception": {"de": "Ausnahme speichern", "en": "Save exception"},
    "console.team.remove_exception": {"de": "Ausnahme entfernen", "en": "Remove exception"},
    "console.team.off": {"de": "frei", "en": "off"},
    "console.team.save": {"de": "Speichern", "en": "Save"},
    "console.team.saved": {"de": "Gespeichert.", "en": "Saved."},
    "console.team.bad_span": {
        "de": "„{typed}“ ist keine Zeitspanne – bitte so eingeben: 9:30-18:00 (das Ende nach dem Anfang).",
        "en": "“{typed}” is no span of hours – please type it like 9:30-18:00 (the end after the start).",
    },
    "console.team.handed": {"de": "{when}, {name}: an {staff} übergeben", "en": "{when}, {name}: handed to {staff}"},
    "console.team.handed_mailed": {
        "de": "{when}, {name}: an {staff} übergeben; der Kunde bekommt das per E-Mail",
        "en": "{when}, {name}: handed to {staff}; the customer is told by e-mail",
    },
    "console.team.stranded": {
        "de": "{when}, {name}: niemand frei – bitte mit der Kundin oder dem Kunden verschieben oder absagen (Termine)",
        "en": "{when}, {name}: nobody free – please move or cancel it with the customer (Appointments)",
    },
    "console.where.web": {"de": "Web / Handy", "en": "Web / phone"},
    "console.where.kiosk": {"de": "Kiosk {kiosk}", "en": "Kiosk {kiosk}"},
    "console.where.kiosk_at": {"de": "Kiosk {place}", "en": "Kiosk {place}"},
    "console.waiting": {"de": "wartet seit {minutes} Min.", "en": "waiting {minutes} min"},
    "console.waiting_hours": {"de": "wartet seit {hours} Std. {minutes} Min.", "en": "waiting {hours} h {minutes} min"},
    "console.waiting_days": {"de": "wartet seit {days} T. {hours} Std.", "en": "waiting {days} d {hours} h"},
    "console.waiting_now": {"de": "wartet seit eben", "en": "waiting since just now"},
    "console.language.de": {"de": "spricht Deutsch", "en": "speaks German"},
    "console.language.en": {"de": "spricht Englisch", "en": "speaks English"},
    "console.fit.unanswered": {
        "de": "Noch keine Antworten: alle {count} {category} kommen in Frage",
        "en": "No answers yet: all {count} {category} are in question",
    },
    "console.fit.one": {"de": "1 {category} passt zu allen Antworten", "en": "1 {category} fits every answer"},
    "console.fit.other": {
        "de": "{count} {category} passen zu allen Antworten", "en": "{count} {category} fit every answer",
    },
    "console.offered_now": {
        "de": "Jetzt angeboten: ohne {labels} ({count} passend)",
        "en": "Offered now: without {labels} ({count} fit)",
    },
    "console.took": {
        "de": "Kunde verzichtete auf {labels} ({count} passend)", "en": "Customer dropped {labels} ({count} fit)",
    },
    "console.was_offered": {
        "de": "Angeboten, nicht genommen: ohne {labels} ({count})",
        "en": "Offered, not taken: without {labels} ({count})",
    },
    "console.queue.left_by": {"de": "war bei {staff} (abgemeldet)", "en": "was with {staff} (signed out)"},
    "console.taken_over": {
        "de": "Sie haben den Fall von {staff} übernommen ({staff} ist abgemeldet).",
        "en": "You have taken over this case from {staff} ({staff} has signed out).",
    },
    "console.held_by": {
        "de": "{staff} betreut diesen Kunden – Sie können mitlesen und helfen.",
        "en": "{staff} is looking after this customer – you can read along and help.",
    },
    "console.changed_by": {
        "de": "{staff} hat „{question}“ geändert ({time})", "en": "{staff} changed “{question}” ({time})",
    },
    "console.note_before": {"de": "Notiz ({when}): {notes}", "en": "Note ({when}): {notes}"},
    "console.chat.earlier": {
        "de": "— Frühere Anfrage, {when} · {kind} —", "en": "— Earlier request, {when} · {kind} —",
    },
    "console.chat.open": {
        "de": "— Laufende Anfrage bei {staff}, {when} · {kind} —",
        "en": "— Open request with {staff}, {when} · {kind} —",
    },
    "console.chat.history": {
        "de": "— Nur zum Nachlesen: der Kunde hat gerade keinen Chat offen.",
        "en": "— To read only: the customer has no chat open now.",
    },
    "console.chat.none": {
        "de": "Kein Chat: der Kunde hat keinen angefragt (Notizen gibt es mit einer Anfrage oder einem Termin).",
        "en": "No chat: the customer has not asked for one (notes come with a request or an appointment).",
    },
    "console.chat.held": {
        "de": "Den Chat führt {staff} – Sie lesen mit.",
        "en": "{staff} is chatting with this customer – you read along.",
    },
    "console.chat.phone_seen": {
        "de": "Handy zuletzt aktiv vor {minutes} Min.", "en": "Phone last active {minutes} min ago",
    },
    "console.chat.phone_seen_hours": {
        "de": "Handy zuletzt aktiv vor {hours} Std. {minutes} Min.",
        "en": "Phone last active {hours} h {minutes} min ago",
    },
    "console.chat.appointment": {
        "de": "Kein Chat: der Kunde ist zum Termin hier. Die Notizen gehören zum Termin (auch im Terminfenster).",
        "en": "No chat: the customer is here for the appointment. The notes belong to it (also in the appointments "
        "window).",
    },
    "console.critique": {"de": "Wunsch: {attribute} {sign} {value}", "en": "Wish: {attribute} {sign} {value}"},
    "console.viewed": {"de": "Angesehen: {names}", "en": "Viewed: {names}"},
    "console.compared": {"de": "Verglichen: {names}", "en": "Compared: {names}"},
    "console.not_taken": {"de": "Nicht übernommen: {item}", "en": "Not taken over: {item}"},
    "console.erased": {  # a case of this staff member deleted meanwhile with the customer's data
        "de": "Ein Fall ist nicht mehr da: Die Daten des Kunden wurden inzwischen gelöscht.",
        "en": "A case is gone: the customer's data has been deleted meanwhile.",
    },
    "console.ended": {
        "de": "Fall {code}: Der Kunde hat die Anfrage beendet oder den Kiosk verlassen.",
        "en": "Case {code}: the customer ended the request or left the kiosk.",
    },
    "talk.intro": {
        "de": {"du": "Eine Beraterin oder ein Berater kommt zu dir an dieses Terminal. "
                     "Damit dich niemand zweimal fragt, sieht sie oder er deine Antworten.",
               "Sie": "Eine Beraterin oder ein Berater kommt zu Ihnen an dieses Terminal. Damit Sie niemand zweimal "
                      "fragt, sieht sie oder er Ihre Antworten."},
        "en": "A consultant comes to you at this kiosk. So that nobody asks twice, they see your answers.",
    },
    "talk.consent": {
        "de": "Ich bin einverstanden, dass das Team meine Antworten sieht. Die Antworten werden nach {days} Tagen "
              "gelöscht.",
        "en": "I agree that staff see my answers. The answers are deleted after {days} days.",
    },
    "talk.nobody": {
        "de": {"du": "Gerade ist niemand an der Beratungskonsole. Sprich gern unser Team an der Kasse an.",
               "Sie": "Gerade ist niemand an der Beratungskonsole. Sprechen Sie gern unser Team an der Kasse an."},
        "en": "Nobody is at the advice console right now. Please ask our team at the checkout.",
    },
    "talk.booked_note": {
        "de": {"du": "Dort nimmt sich jemand aus dem Team Zeit für dich – der Termin ist gebucht.",
               "Sie": "Dort nimmt sich jemand aus dem Team Zeit für Sie – der Termin ist gebucht."},
        "en": "Someone from our team takes time for you then – the appointment is booked.",
    },
    "talk.book_note": {
        "de": {"du": "Jemand aus dem Team nimmt sich Zeit für dich – wann es dir passt.",
               "Sie": "Jemand aus dem Team nimmt sich Zeit für Sie – wann es Ihnen passt."},
        "en": "Someone from our team takes time for you, when it suits you.",
    },
    "talk.no_phone": {  # the database could not store the session the phone would open
        "de": {"du": "Weitermachen auf dem Handy geht gerade nicht. Frag bitte im Laden nach.",
               "Sie": "Weitermachen auf dem Handy geht gerade nicht. Fragen Sie bitte im Laden nach."},
        "en": "Continuing on your phone is not possible right now. Please ask in the store.",
    },
    "talk.no_summary": {  # the database could not store the session the summary's code opens
        "de": {"du": "Die Zusammenfassung lässt sich gerade nicht erstellen. Frag bitte im Laden nach.",
               "Sie": "Die Zusammenfassung lässt sich gerade nicht erstellen. Fragen Sie bitte im Laden nach."},
        "en": "The summary cannot be made right now. Please ask in the store.",
    },
    "talk.offline": {
        "de": {"du": "Die Verbindung zum Team ist gerade gestört. Sprich bitte jemanden im Laden direkt an.",
               "Sie": "Die Verbindung zum Team ist gerade gestört. Sprechen Sie bitte jemanden im Laden direkt an."},
        "en": "The connection to the team is down right now. Please ask someone in the store directly.",
    },
    "talk.unreachable": {
        "de": {"du": "Unser Team ist von diesem Kiosk aus gerade nicht erreichbar. "
                     "Sprich bitte jemanden im Laden direkt an – du erkennst unser Team an den grünen Jacken.",
               "Sie": "Unser Team ist von diesem Kiosk aus gerade nicht erreichbar. "
                      "Sprechen Sie bitte jemanden im Laden direkt an – Sie erkennen unser Team an den grünen Jacken."},
        "en": "Our team can't be reached from this kiosk right now. "
              "Please ask someone in the store directly – look for the green jackets.",
    },
    "talk.call": {"de": "Beratung hierher rufen", "en": "Call a consultant here"},
    "talk.chat": {"de": "Jetzt chatten", "en": "Chat now"},
    "talk.consent_first": {
        "de": {"du": "Erst oben zustimmen – dann kommt jemand zu dir.",
               "Sie": "Erst oben zustimmen – dann kommt jemand zu Ihnen."},
        "en": "Tick the box above first – then someone comes to you.",
    },
    "talk.messages": {"de": "Nachrichten mit dem Personal", "en": "Messages with staff"},
    "talk.send": {"de": "Senden", "en": "Send"},
    "talk.message": {"de": "Nachricht", "en": "Message"},
    "talk.you": {"de": {"du": "Du", "Sie": "Sie"}, "en": "You"},
    "talk.close": {"de": "Schließen", "en": "Close"},
    "talk.cancel": {"de": "Anfrage zurückziehen", "en": "Cancel the request"},
    "talk.queue": {
        "de": {"du": "Du bist Nummer {position} in der Warteschlange.",
               "Sie": "Sie sind Nummer {position} in der Warteschlange."},
        "en": "You are number {position} in the queue.",
    },
    "talk.wait": {"de": "Geschätzte Wartezeit: etwa {minutes} Min.", "en": "Estimated wait: about {minutes} min."},
    "talk.wait_unknown": {
        "de": {"du": "Gleich ist jemand für dich da.", "Sie": "Gleich ist jemand für Sie da."},
        "en": "Someone will be with you shortly.",
    },
    "talk.claimed": {
        "de": {"du": "{name} ist auf dem Weg zu dir.", "Sie": "{name} ist auf dem Weg zu Ihnen."},
        "en": "{name} is on the way to you.",
    },
    "talk.claimed_chat": {
        "de": {"du": "{name} ist jetzt für dich im Chat.", "Sie": "{name} ist jetzt für Sie im Chat."},
        "en": "{name} is with you in the chat now.",
    },
    "talk.left_by": {  # the colleague who had the chat signed out: it waits to be taken over (their lines are kept)
        "de": {"du": "{name} musste gehen – dein Chat wartet, bis jemand anderes aus dem Team übernimmt.",
               "Sie": "{name} musste gehen – Ihr Chat wartet, bis jemand anderes aus dem Team übernimmt."},
        "en": "{name} had to leave – your chat waits for the next colleague.",
    },
    "talk.left_by_call": {  # the same for a consultant called to the kiosk
        "de": {"du": "{name} musste gehen – deine Anfrage wartet, bis jemand anderes aus dem Team übernimmt.",
               "Sie": "{name} musste gehen – Ihre Anfrage wartet, bis jemand anderes aus dem Team übernimmt."},
        "en": "{name} had to leave – your request waits for the next colleague.",
    },
    "talk.ended": {"de": "Die Anfrage ist beendet.", "en": "The request has ended."},
    "talk.again": {"de": "Nochmal fragen", "en": "Ask again"},
    "talk.expired": {
        "de": "Leider konnte in der Zeit niemand aus dem Team antworten – das tut uns leid.",
        "en": "Sorry, nobody from the team could answer in time.",
    },
    "talk.code": {
        "de": {"du": "Dein Code, um später weiterzumachen: {code}",
               "Sie": "Ihr Code, um später weiterzumachen: {code}"},
        "en": "Your code to continue later: {code}",
    },
    # Take-away summary (print, PDF, e-mail, web)
    "summary.title": {"de": {"du": "Deine Beratung: {title}", "Sie": "Ihre Beratung: {title}"},
                      "en": "Your advice: {title}"},
    "summary.code": {"de": {"du": "Dein Code zum Weitermachen:", "Sie": "Ihr Code zum Weitermachen:"},
                     "en": "Your code to continue:"},
    "summary.continue_at": {"de": "Weitermachen unter", "en": "Continue at"},
    "summary.answers": {"de": {"du": "Deine Antworten", "Sie": "Ihre Antworten"}, "en": "Your answers"},
    "summary.products": {"de": {"du": "Unsere Empfehlungen für dich ({count})",
                                "Sie": "Unsere Empfehlungen für Sie ({count})"},
                         "en": "Our recommendations for you ({count})"},
    "summary.products_best_of": {"de": {"du": "Unsere Empfehlungen für dich: die besten {shown} von {count}",
                                        "Sie": "Unsere Empfehlungen für Sie: die besten {shown} von {count}"},
                                 "en": "Our recommendations for you: the best {shown} of {count}"},
    "summary.products_top_of": {"de": {"du": "Unsere Empfehlung für dich: die beste von {count}",
                                       "Sie": "Unsere Empfehlung für Sie: die beste von {count}"},
                                "en": "Our recommendation for you: the best of {count}"},
    "summary.why": {"de": "Warum es passt:", "en": "Why it fits:"},
    "summary.tradeoffs": {"de": "Bedenke:", "en": "Bear in mind:"},
    # The advice's booked appointment, with products set aside for it (without: "web.appointments.yours")
    "summary.appointment": {
        "de": {"du": "Dein Termin: {when} – die Produkte sind dafür zurückgelegt.",
               "Sie": "Ihr Termin: {when} – die Produkte sind dafür zurückgelegt."},
        "en": "Your appointment: {when} – the products are held for it.",
    },
    "summary.appointment.one": {
        "de": {"du": "Dein Termin: {when} – das Produkt ist dafür zurückgelegt.",
               "Sie": "Ihr Termin: {when} – das Produkt ist dafür zurückgelegt."},
        "en": "Your appointment: {when} – the product is held for it.",
    },
    "web.mail.privacy": {
        "de": "Wir senden die Zusammenfassung nur an diese Adresse und speichern sie nur bis zum Versand.",
        "en": "We send the summary to this address only and keep it only until the mail is sent.",
    },
    "summary.email_footer": {
        "de": "Diese E-Mail wurde auf Wunsch verschickt; die Adresse wurde nur für den Versand gespeichert.",
        "en": "This e-mail was sent on request. Your address was kept only to send it.",
    },
    # Kiosk in public space: accessibility mode, idle warning, exit PIN
    "a11y.on": {"de": "Barrierefrei: größer und kontrastreich", "en": "Accessibility: larger, high contrast"},
    "a11y.off": {"de": "Normale Darstellung", "en": "Standard view"},
    "a11y.short": {"de": "Barrierefrei", "en": "Accessible"},
    "top.home": {"de": "Startseite", "en": "Home"},
    # Speech guidance: what the kiosk says aloud with the four keys (ui/spoken.py puts the sentences together)
    "speech.hint": {"de": "Sprachführung: Pfeiltaste oder F1 drücken",
                    "en": "Speech guidance: press an arrow key or F1"},
    "speech.prompt": {
        "de": {"du": "Für die Sprachführung drücke eine Pfeiltaste oder F1.",
               "Sie": "Für die Sprachführung drücken Sie eine Pfeiltaste oder F1."},
        "en": "For speech guidance, press an arrow key or F1.",
    },
    "speech.on": {"de": "Sprachführung an.", "en": "Speech guidance on."},
    "speech.none": {"de": "keine Angabe", "en": "none"},  # a comparison's cell with no value (a dash on screen)
    "speech.keys": {
        "de": {"du": "Mit Pfeil hoch und runter gehst du von Element zu Element, die Eingabetaste wählt aus, die "
                     "Rücktaste oder Escape geht einen Schritt zurück. F2 wiederholt, F3 hält an und spricht weiter, "
                     "Plus und Minus ändern das Tempo, F1 erklärt die Tasten.",
               "Sie": "Mit Pfeil hoch und runter gehen Sie von Element zu Element, die Eingabetaste wählt aus, die "
                      "Rücktaste oder Escape geht einen Schritt zurück. F2 wiederholt, F3 hält an und spricht weiter, "
                      "Plus und Minus ändern das Tempo, F1 erklärt die Tasten."},
        "en": "Up and down move from item to item, Enter selects, Backspace or Escape goes back one step. F2 repeats, "
              "F3 pauses and goes on, plus and minus change the speed, F1 explains the keys.",
    },
    "speech.position": {"de": "{index} von {count}", "en": "{index} of {count}"},
    "speech.selected": {"de": "ausgewählt", "en": "selected"},
    "speech.not_selected": {"de": "nicht ausgewählt", "en": "not selected"},
    "speech.unavailable": {"de": "nicht verfügbar", "en": "not available"},
    "speech.text_field": {"de": "Textfeld, nur mit Tastatur", "en": "text field, needs a keyboard"},
    "speech.text_field_keys": {
        "de": "Textfeld, Auswahl öffnet die Tasten auf dem Bildschirm",
        "en": "text field, select opens keys on the screen",
    },
    "speech.answer": {"de": {"du": "Deine Antwort: {answer}", "Sie": "Ihre Antwort: {answer}"},
                      "en": "Your answer: {answer}"},
    "speech.choose_one": {
        "de": {"du": "Wähle eine von {count} Antworten.", "Sie": "Wählen Sie eine von {count} Antworten."},
        "en": "Choose one of {count} answers.",
    },
    "speech.choose_any": {
        "de": {"du": "Wähle eine oder mehrere von {count} Antworten, dann Weiter.",
               "Sie": "Wählen Sie eine oder mehrere von {count} Antworten, dann Weiter."},
        "en": "Choose one or more of {count} answers, then Next.",
    },
    "speech.choose_any_first": {
        "de": {"du": "Wähle eine oder mehrere von {count} Antworten; sobald eine gewählt ist, kommst du zu Weiter.",
               "Sie": "Wählen Sie eine oder mehrere von {count} Antworten; sobald eine gewählt ist, kommen Sie zu "
                      "Weiter."},
        "en": "Choose one or more of {count} answers; once one is chosen, you can go on to Next.",
    },
    "speech.number": {"de": "Zum Ändern Eingabe, dann Pfeil hoch und runter.",
                      "en": "To change it, Enter, then up and down."},
    "speech.number_on": {"de": "Ändern: Pfeil hoch und runter, Eingabe oder Zurück beendet.",
                         "en": "Changing: up and down, Enter or Back to finish."},
    "speech.number_off": {"de": "Fertig: {value}.", "en": "Done: {value}."},
    "speech.lowest": {"de": "{value}, der kleinste Wert", "en": "{value}, the lowest"},
    "speech.highest": {"de": "{value}, der größte Wert", "en": "{value}, the highest"},
    "speech.choices": {"de": "{count} Möglichkeiten", "en": "{count} choices"},
    "speech.choices.one": {"de": "1 Möglichkeit", "en": "1 choice"},
    "speech.results": {"de": "{count} Empfehlungen folgen, eine nach der anderen.",
                       "en": "{count} recommendations follow, one by one."},
    "speech.results.one": {"de": "1 Empfehlung folgt.", "en": "1 recommendation follows."},
    "speech.result": {"de": "Empfehlung {index} von {count}: {name}, {price}",
                      "en": "Recommendation {index} of {count}: {name}, {price}"},
    "speech.offers": {"de": "{count} Vorschläge folgen.", "en": "{count} suggestions follow."},
    "speech.offers.one": {"de": "1 Vorschlag folgt.", "en": "1 suggestion follows."},
    "speech.detail": {"de": "{name}, {price}. {count} Abschnitte folgen.",
                      "en": "{name}, {price}. {count} sections follow."},
    "speech.detail.one": {"de": "{name}, {price}. Ein Abschnitt folgt.", "en": "{name}, {price}. One section follows."},
    "speech.overview": {
        "de": {"du": "{count} Antworten; wähle eine, um sie zu ändern.",
               "Sie": "{count} Antworten; wählen Sie eine, um sie zu ändern."},
        "en": "{count} answers; select one to change it.",
    },
    "speech.overview.one": {
        "de": {"du": "1 Antwort; wähle sie, um sie zu ändern.", "Sie": "1 Antwort; wählen Sie sie, um sie zu ändern."},
        "en": "1 answer; select it to change it.",
    },
    "speech.compare": {"de": "{count} Produkte nebeneinander, Zeile für Zeile.",
                       "en": "{count} products side by side, row by row."},
    "speech.compare.one": {"de": "1 Produkt, Zeile für Zeile.", "en": "1 product, row by row."},
    "speech.top": {"de": "Wieder oben.", "en": "Back at the top."},
    "speech.bottom": {"de": "Ganz unten.", "en": "At the bottom."},
    "speech.rate": {"de": "Tempo {level} von {levels}", "en": "Speed {level} of {levels}"},
    "speech.messages": {"de": "{count} Nachrichten", "en": "{count} messages"},
    "speech.messages.one": {"de": "1 Nachricht", "en": "1 message"},
    "speech.off": {"de": "Sprachausgabe aus.", "en": "Speech off."},
    "speech.home": {
        "de": {"du": "Neue Beratung – deine Antworten sind gelöscht.",
               "Sie": "Neue Beratung – Ihre Antworten sind gelöscht."},
        "en": "New advice – your answers are deleted.",
    },
    "speech.wiped": {"de": "Die Beratung beginnt von vorn.", "en": "The advice starts over."},
    "speech.free_times": {"de": "{count} freie Uhrzeiten", "en": "{count} free times"},
    "speech.free_times.one": {"de": "1 freie Uhrzeit", "en": "1 free time"},
    "speech.range_to": {"de": "bis", "en": "to"},
    "speech.unit.cm": {"de": "Zentimeter", "en": "centimetres"},
    "speech.unit.kg": {"de": "Kilogramm", "en": "kilograms"},
    "speech.unit.celsius": {"de": "Grad", "en": "degrees"},
    "speech.unit.eur": {"de": "Euro", "en": "euros"},
    "speech.unit.eur_one": {"de": "Euro", "en": "euro"},
    "speech.unit.celsius_one": {"de": "Grad", "en": "degree"},
    "speech.minus": {"de": "minus", "en": "minus"},
    "speech.expand": {"de": "Zum Aufklappen Eingabe.", "en": "Enter to expand."},
    "speech.collapse": {"de": "Aufgeklappt, zum Zuklappen Eingabe.", "en": "Expanded, Enter to collapse."},
    "idle.title": {"de": {"du": "Bist du noch da?", "Sie": "Sind Sie noch da?"}, "en": "Are you still there?"},
    "idle.countdown": {
        "de": {"du": "Zum Schutz deiner Daten beginnt die Beratung in {seconds} s von vorn.",
               "Sie": "Zum Schutz Ihrer Daten beginnt die Beratung in {seconds} s von vorn."},
        "en": "To protect your data, the advice starts over in {seconds} s.",
    },
    "idle.continue": {"de": "Ich bin noch da – weiter", "en": "I'm still here – continue"},
    "idle.on_the_way": {
        "de": {"du": "Noch da? {name} ist auf dem Weg zu dir.", "Sie": "Noch da? {name} ist auf dem Weg zu Ihnen."},
        "en": "Still there? {name} is on the way to you.",
    },
    "idle.someone_coming": {
        "de": {"du": "Noch da? Gleich kommt jemand zu dir.", "Sie": "Noch da? Gleich kommt jemand zu Ihnen."},
        "en": "Still there? Someone is coming to you.",
    },
    "idle.in_chat": {
        "de": {"du": "Noch da? {name} chattet mit dir.", "Sie": "Noch da? {name} chattet mit Ihnen."},
        "en": "Still there? {name} is chatting with you.",
    },
    "idle.chat_open": {
        "de": {"du": "Noch da? Dein Chat mit unserem Team ist offen.",
               "Sie": "Noch da? Ihr Chat mit unserem Team ist offen."},
        "en": "Still there? Your chat with our team is open.",
    },
    "idle.handoff_countdown": {
        "de": {"du": "Sonst beenden wir deine Anfrage in {seconds} s, und die Beratung beginnt von vorn.",
               "Sie": "Sonst beenden wir Ihre Anfrage in {seconds} s, und die Beratung beginnt von vorn."},
        "en": "Otherwise your request ends in {seconds} s and the advice starts over.",
    },
    "idle.here": {"de": "Ja, ich bin da", "en": "Yes, I'm here"},
    "idle.leave": {"de": "Ich gehe – Anfrage beenden", "en": "I'm leaving – end the request"},
    "talk.shopper_left": {"de": "Kunde hat den Kiosk verlassen", "en": "The customer left the kiosk"},
    "talk.taken_over": {"de": "{staff} hat übernommen", "en": "{staff} has taken over"},
    "exit.title": {"de": "PIN des Personals", "en": "Staff PIN"},
    "exit.wrong": {"de": "Falsche PIN.", "en": "Wrong PIN."},
    "exit.locked": {
        "de": "Zu viele falsche Versuche. Gesperrt für {seconds} s.",
        "en": "Too many wrong tries. Locked for {seconds} s.",
    },
    # Feedback
    "feedback.question": {
        "de": {"du": "Wie gut hat dich die Beratung unterstützt?", "Sie": "Wie gut hat Sie die Beratung unterstützt?"},
        "en": "How well did the advice help you?",
    },
    "feedback.contact": {
        "de": "Wie war der Kontakt mit unserem Team?",
        "en": "How was your contact with our team?",
    },
    "feedback.scale.grades": {"de": "(Schulnote)", "en": "(1 = excellent, 6 = inadequate)"},
    "feedback.thanks": {"de": "Danke für die Rückmeldung!", "en": "Thank you for your feedback!"},
    "feedback.comment_sent": {
        "de": {"du": "Danke, dein Kommentar ist gesendet.", "Sie": "Danke, Ihr Kommentar ist gesendet."},
        "en": "Thank you, your comment is sent.",
    },
    "feedback.grade.1": {"de": "Note 1 – sehr gut", "en": "1 – excellent"},
    "feedback.grade.2": {"de": "Note 2 – gut", "en": "2 – good"},
    "feedback.grade.3": {"de": "Note 3 – befriedigend", "en": "3 – satisfactory"},
    "feedback.grade.4": {"de": "Note 4 – ausreichend", "en": "4 – adequate"},
    "feedback.grade.5": {"de": "Note 5 – mangelhaft", "en": "5 – poor"},
    "feedback.grade.6": {"de": "Note 6 – ungenügend", "en": "6 – inadequate"},
    "feedback.stars": {"de": "{count} von 5 Sternen", "en": "{count} of 5 stars"},
    "feedback.comment": {"de": "Kommentar (freiwillig)", "en": "Comment (optional)"},
    "feedback.send": {"de": "Bewerten", "en": "Rate"},
    # Web companion
    "web.your_code": {"de": {"du": "Dein Code:", "Sie": "Ihr Code:"}, "en": "Your code:"},
    "web.expired": {
        "de": "Diese Beratung ist abgelaufen oder wurde beendet. Fang gern neu an.",
        "en": "This advice has expired or was ended. Feel free to start again.",
    },
    "web.continue_mine": {"de": "Weiter mit: {title}", "en": "Continue: {title}"},
    "web.have_code": {
        "de": "Ich habe schon angefangen und einen Code", "en": "I already started and have a code",
    },
    "web.code_where": {
        "de": {"du": "Den Code zeigen das Terminal im Laden, die Zusammenfassung und jede Seite deiner Beratung. Der "
                     "Abholcode einer Reparatur passt hier auch.",
               "Sie": "Den Code zeigen das Terminal im Laden, die Zusammenfassung und jede Seite Ihrer Beratung. Der "
                      "Abholcode einer Reparatur passt hier auch."},
        "en": "The code is shown at the kiosk in the store, on the summary and on every page of your advice. A "
              "repair's pickup code works here too.",
    },
    "web.code_label": {"de": "Code (8 Zeichen)", "en": "Code (8 characters)"},
    "web.code_empty": {  # /resume posted without a code
        "de": {"du": "Bitte gib deinen Code ein.", "Sie": "Bitte geben Sie Ihren Code ein."},
        "en": "Please type your code.",
    },
    "web.restart_hint": {
        "de": "„Neu beginnen“ beendet diese Beratung: Der Code {code} gilt danach nicht mehr.",
        "en": "“Start over” ends this advice: the code {code} no longer works after it.",
    },
    "web.to_start": {"de": "Zur Startseite", "en": "To the start page"},
    "web.error.csrf": {
        "de": {"du": "Das Formular war veraltet. Bitte lade die Seite neu und versuche es noch einmal.",
               "Sie": "Das Formular war veraltet. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."},
        "en": "The form had expired. Please reload the page and try again.",
    },
    "web.error.not_found": {"de": "Diese Seite gibt es nicht.", "en": "This page does not exist."},
    "web.error.general": {"de": "Das hat nicht geklappt.", "en": "That did not work."},
    "web.error.database": {
        "de": {"du": "Die Beratung ist gerade nicht erreichbar. Bitte versuche es gleich noch einmal.",
               "Sie": "Die Beratung ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal."},
        "en": "The advice is unavailable right now. Please try again in a moment.",
    },
    "web.error.kept": {  # under web.error.database, after a form the database did not take
        "de": {"du": "Was du geschickt hast, ist nicht verloren: Sende es gleich noch einmal.",
               "Sie": "Was Sie geschickt haben, ist nicht verloren: Senden Sie es gleich noch einmal."},
        "en": "What you sent is not lost: send it again in a moment.",
    },
    "web.error.send_again": {"de": "Noch einmal senden", "en": "Send again"},
    "web.error.choose": {
        "de": {"du": "Wähle mindestens eine Antwort.", "Sie": "Wählen Sie mindestens eine Antwort."},
        "en": "Choose at least one answer.",
    },
    "web.error.choose_or_skip": {
        "de": {"du": "Wähle mindestens eine Antwort – oder „Ist mir egal“.",
               "Sie": "Wählen Sie mindestens eine Antwort – oder „Ist mir egal“."},
        "en": "Choose at least one answer – or “Doesn't matter”.",
    },
    "web.error.whole_number": {
        "de": {"du": "Bitte gib eine ganze Zahl von {low} bis {high}{unit} ein.",
               "Sie": "Bitte geben Sie eine ganze Zahl von {low} bis {high}{unit} ein."},
        "en": "Please enter a whole number from {low} to {high}{unit}.",
    },
    "web.error.number": {
        "de": {"du": "Bitte gib eine Zahl von {low} bis {high}{unit} ein.",
               "Sie": "Bitte geben Sie eine Zahl von {low} bis {high}{unit} ein."},
        "en": "Please enter a number from {low} to {high}{unit}.",
    },
    "web.error.answer": {
        "de": {"du": "Diese Antwort passt nicht zur Frage. Bitte wähle noch einmal.",
               "Sie": "Diese Antwort passt nicht zur Frage. Bitte wählen Sie noch einmal."},
        "en": "That answer does not fit the question. Please choose again.",
    },
    "web.error.control_character": {
        "de": {"du": "Der Text enthält ein Steuerzeichen, das wir nicht annehmen. Bitte lass es weg.",
               "Sie": "Der Text enthält ein Steuerzeichen, das wir nicht annehmen. Bitte lassen Sie es weg."},
        "en": "The text contains a control character we cannot take. Please leave it out.",
    },
    "web.token.unknown": {"de": "Dieser Link ist ungültig.", "en": "This link is not valid."},
    "web.token.used": {"de": "Dieser Link wurde schon benutzt.", "en": "This link has already been used."},
    "web.token.expired": {"de": "Dieser Link ist abgelaufen.", "en": "This link has expired."},
    "web.token.ended": {"de": "Diese Beratung ist beendet.", "en": "This advice has ended."},
    "web.token.hint_ended": {
        "de": {"du": "Sie wurde neu begonnen oder ist abgelaufen – auch ihr Code öffnet sie nicht mehr. Starte hier "
                     "eine neue Beratung.",
               "Sie": "Sie wurde neu begonnen oder ist abgelaufen – auch ihr Code öffnet sie nicht mehr. Starten Sie "
                      "hier eine neue Beratung."},
        "en": "It was started over or has expired – its code no longer opens it either. Start a new advice here.",
    },
    "web.token.hint": {
        "de": {"du": "Ein QR-Code gilt 5 Minuten und einmal. Am Terminal gibt es jederzeit einen neuen – oder öffne "
                     "die Beratung mit ihrem Code.",
               "Sie": "Ein QR-Code gilt 5 Minuten und einmal. Am Terminal gibt es jederzeit einen neuen – oder öffnen "
                      "Sie die Beratung mit ihrem Code."},
        "en": "A QR code works once, for 5 minutes. The kiosk makes a new one any time, "
              "or open the advice with its code.",
    },
    # The page a one-time link shows before it takes this device into another advice (advisor/handoff/tokens.py).
    "web.link.title": {"de": "Die Beratung vom anderen Gerät öffnen?", "en": "Open the advice from the other device?"},
    "web.link.held": {
        "de": "Auf diesem Gerät läuft schon eine Beratung ({title}, {answers}).",
        "en": "An advice is already running on this device ({title}, {answers}).",
    },
    "web.link.answers": {"de": "{count} Antworten", "en": "{count} answers"},
    "web.link.answers.one": {"de": "1 Antwort", "en": "1 answer"},
    "web.link.opens": {
        "de": "Der Link öffnet: {title}, {answers}, begonnen am {when} auf einem anderen Gerät.",
        "en": "The link opens: {title}, {answers}, started on {when} on another device.",
    },
    "web.link.sent": {
        "de": {"du": "Öffne sie nur, wenn du sie selbst begonnen hast: Wer dir den Link geschickt hat, sieht, "
                     "was du darin eingibst.",
               "Sie": "Öffnen Sie sie nur, wenn Sie sie selbst begonnen haben: Wer Ihnen den Link geschickt hat, "
                      "sieht, was Sie darin eingeben."},
        "en": "Open it only if you started it yourself: whoever sent you the link sees what you enter in it.",
    },
    "web.link.kept": {
        "de": {"du": "Deine Beratung hier bleibt gespeichert: Mit deinem Code {code} öffnest du sie wieder.",
               "Sie": "Ihre Beratung hier bleibt gespeichert: Mit Ihrem Code {code} öffnen Sie sie wieder."},
        "en": "Your advice here stays saved: your code {code} opens it again.",
    },
    "web.link.open": {"de": "Öffnen", "en": "Open"},
    "web.link.stay": {"de": "Bei meiner bleiben", "en": "Keep mine"},
    "web.link.leave": {"de": "Nicht öffnen", "en": "Don't open"},
    "web.code_qr": {
        "de": "Am Terminal im Laden den Code eintippen oder diesen QR-Code einscannen lassen.",
        "en": "Type the code at the kiosk in the store, or have this QR code scanned.",
    },
    "web.code_qr_alt": {"de": "QR-Code mit dem Code {code}", "en": "QR code with the code {code}"},
    "web.clear_critiques": {"de": "Zurück zu allen Empfehlungen", "en": "Back to all recommendations"},
    "web.summary": {"de": "Zusammenfassung", "en": "Summary"},
    # The pages' titles (the browser's tab, the first thing a screen reader says): where the shopper is
    "web.title.error": {"de": "Fehler:", "en": "Error:"},  # before the title of a page showing a form's error
    "web.title.mail_sent": {"de": "E-Mail unterwegs:", "en": "E-mail on its way:"},  # before the summary's, once sent
    "web.title.question": {"de": "{question} (Frage {done} von {total})", "en": "{question} ({done} of {total})"},
    "web.title.results": {"de": {"du": "Deine Ergebnisse: {count}", "Sie": "Ihre Ergebnisse: {count}"},
                          "en": "Your results: {count}"},
    "web.title.resume": {"de": {"du": "Deine Beratung fortsetzen", "Sie": "Ihre Beratung fortsetzen"},
                         "en": "Resume your advice"},
    "web.title.chat": {"de": "Chat", "en": "Chat"},
    "web.skip": {"de": "Zum Inhalt springen", "en": "Skip to main content"},
    "web.mail.label": {
        "de": "Zusammenfassung per E-Mail (die Adresse wird nur bis zum Versand gespeichert)",
        "en": "Summary by e-mail (the address is kept only until the mail is sent)",
    },
    "web.mail.send": {"de": "Senden", "en": "Send"},
    "web.mail.sent": {
        "de": "Wir senden die E-Mail in den nächsten Minuten.",
        "en": "We'll send the e-mail within the next few minutes.",
    },
    "web.mail.invalid": {
        "de": {"du": "Bitte gib genau eine E-Mail-Adresse an, etwa name@example.org – ohne Komma und ohne Namen.",
               "Sie": "Bitte geben Sie genau eine E-Mail-Adresse an, etwa name@example.org – ohne Komma und ohne "
                      "Namen."},
        "en": "Please give exactly one e-mail address, like name@example.org: no commas, no names.",
    },
    "web.mail.wait": {
        "de": "Für jetzt sind genug E-Mails verschickt. Bitte in {wait} noch einmal.",
        "en": "Enough e-mails have been sent for now. Please try again in {wait}.",
    },
    "web.mail.off": {"de": "E-Mails sind hier nicht eingerichtet.", "en": "E-mail is not set up here."},
    "web.chat.intro": {
        "de": {"du": "Unser Team im Laden antwortet im Chat. Damit dich niemand zweimal fragt, sieht es deine "
                     "Antworten.",
               "Sie": "Unser Team im Laden antwortet im Chat. Damit Sie niemand zweimal fragt, sieht es Ihre "
                      "Antworten."},
        "en": "Our team in the store answers in the chat. So that nobody asks twice, they see your answers.",
    },
    "web.chat.nobody": {"de": "Gerade ist niemand im Chat.", "en": "Nobody is in the chat right now."},
    "web.chat.nobody_now": {
        "de": {"du": "Gerade ist niemand aus dem Team im Chat. Deine Anfrage wartet, bis jemand kommt – oder brich sie "
                     "ab, dann zeigen wir dir, wie du uns sonst erreichst.",
               "Sie": "Gerade ist niemand aus dem Team im Chat. Ihre Anfrage wartet, bis jemand kommt – oder brechen "
                      "Sie sie ab, dann zeigen wir Ihnen, wie Sie uns sonst erreichen."},
        "en": "Nobody from the team is in the chat right now. Your request waits until someone comes – or cancel it, "
        "and we show you how else to reach us.",
    },
    "web.chat.open_until": {  # the store is open, but nobody is at a console
        "de": {"du": "Im Laden ist unser Team heute bis {time} Uhr für dich da.",
               "Sie": "Im Laden ist unser Team heute bis {time} Uhr für Sie da."},
        "en": "Our team is in the store today until {time}.",
    },
    "web.chat.back_at": {  # {when}: talk.back.today / tomorrow / day
        "de": {"du": "Unser Team ist {when} wieder für dich da.", "Sie": "Unser Team ist {when} wieder für Sie da."},
        "en": "Our team is back {when}.",
    },
    "web.chat.code": {
        "de": {"du": "Zeig im Laden deinen Code {code}: Dort geht deine Beratung genau hier weiter.",
               "Sie": "Zeigen Sie im Laden Ihren Code {code}: Dort geht Ihre Beratung genau hier weiter."},
        "en": "Show your code {code} in the store: your advice carries on there from right here.",
    },
    "web.chat.consent_needed": {
        "de": {"du": "Ohne dein Einverständnis geht nichts an das Team.",
               "Sie": "Ohne Ihr Einverständnis geht nichts an das Team."},
        "en": "Nothing goes to the team without your consent.",
    },
    "web.chat.refresh": {
        "de": "Neue Nachrichten erscheinen von selbst, alle paar Sekunden.",
        "en": "New messages appear by themselves every few seconds.",
    },
    # The link of an ended chat's notice: it opens the chat page again (the chat as it went, then what is next).
    "web.chat.ended_link": {
        "de": "Chat-Seite neu laden: Verlauf und wie es weitergeht",
        "en": "Reload the chat page: the chat and what comes next",
    },
    "web.chat.limit": {  # 429: this connection opened enough chats this hour
        "de": {"du": "Von diesem Anschluss sind gerade genug Chats geöffnet. Bitte versuch es in {wait} noch einmal.",
               "Sie": "Von diesem Anschluss sind gerade genug Chats geöffnet. Bitte versuchen Sie es in {wait} noch "
                      "einmal."},
        "en": "Enough chats have been opened from this connection for now. Please try again in {wait}.",
    },
    "web.chat.too_fast": {  # 429: more chat lines in a minute than anyone types; the line stays in the field
        "de": {"du": "Das ging zu schnell. Deine Nachricht steht noch im Feld: Bitte schick sie in {wait} noch einmal.",
               "Sie": "Das ging zu schnell. Ihre Nachricht steht noch im Feld: Bitte schicken Sie sie in {wait} noch "
                      "einmal."},
        "en": "That was too fast. Your message is still in the field: please send it again in {wait}.",
    },
    "web.chat.too_long": {  # a chat line over the limit: it stays in the field, to be shortened
        "de": {"du": "Eine Nachricht hat höchstens {count} Zeichen. Deine steht noch im Feld: Bitte kürze sie oder "
                     "teile sie auf.",
               "Sie": "Eine Nachricht hat höchstens {count} Zeichen. Ihre steht noch im Feld: Bitte kürzen Sie sie "
                      "oder teilen Sie sie auf."},
        "en": "A message has at most {count} characters. Yours is still in the field: please shorten or split it.",
    },
    # Kiosk: continue on the phone, the summary, when staff are back
    "talk.phone": {"de": "Auf dem Handy weitermachen", "en": "Continue on my phone"},
    "talk.phone_qr": {"de": "QR-Code für das Handy", "en": "QR code for the phone"},
    "talk.phone_hint": {
        "de": {"du": "Scanne den Code mit der Kamera deines Handys. Er funktioniert einmal, 5 Minuten lang; "
                     "deine Beratung geht dort genau hier weiter.",
               "Sie": "Scannen Sie den Code mit der Kamera Ihres Handys. Er funktioniert einmal, 5 Minuten lang; "
                      "Ihre Beratung geht dort genau hier weiter."},
        "en": "Scan the code with your phone's camera. It works once, for 5 minutes; "
              "your advice continues there exactly where you are.",
    },
    "talk.phone_new": {"de": "Neuer QR-Code", "en": "New QR code"},
    "talk.summary": {"de": "Zusammenfassung mitnehmen", "en": "Take the summary"},
    "talk.summary_more": {"de": "Die Auswahltaste liest sie ganz vor", "en": "Select reads all of it"},
    "talk.print": {"de": "Drucken", "en": "Print"},
    "talk.printed": {"de": "Wird gedruckt …", "en": "Printing …"},
    "talk.no_printer": {
        "de": {"du": "Hier gibt es keinen Drucker: nimm die Zusammenfassung per QR-Code aufs Handy mit.",
               "Sie": "Hier gibt es keinen Drucker: Nehmen Sie die Zusammenfassung per QR-Code aufs Handy mit."},
        "en": "There is no printer here: take the summary to your phone with the QR code.",
    },
    "talk.no_printer_code": {  # no printer, and no QR code either (the kiosk has no public web address)
        "de": {"du": "Hier gibt es keinen Drucker: Notier dir den Code zum Weitermachen aus der Zusammenfassung – "
                     "damit geht es hier am Terminal mit „Mit Code weitermachen“ weiter, oder zeig ihn unserem Team.",
               "Sie": "Hier gibt es keinen Drucker: Notieren Sie sich den Code zum Weitermachen aus der "
                      "Zusammenfassung – damit geht es hier am Terminal mit „Mit Code weitermachen“ weiter, oder "
                      "zeigen Sie ihn unserem Team."},
        "en": "There is no printer here: note the code to continue from the summary – with “Continue with a code” "
              "you go on here at the kiosk, or show it to our team.",
    },
    "talk.back_at": {
        "de": {"du": "Unser Team ist {when} wieder für dich da. Nimm gern die Zusammenfassung mit.",
               "Sie": "Unser Team ist {when} wieder für Sie da. Nehmen Sie gern die Zusammenfassung mit."},
        "en": "Our team is back {when}. Take the summary with you in the meantime.",
    },
    "talk.back_at_help": {  # help with a product: no summary to take, the phone offered instead
        "de": {"du": "Unser Team ist {when} wieder für dich da. Bis dahin kannst du auf deinem Handy weitermachen – "
                     "oder komm dann gern wieder.",
               "Sie": "Unser Team ist {when} wieder für Sie da. Bis dahin können Sie auf Ihrem Handy weitermachen – "
                      "oder kommen Sie dann gern wieder."},
        "en": "Our team is back {when}. Continue on your phone in the meantime, or come back then.",
    },
    "talk.back_at_return": {  # help with a product, and no QR code (the kiosk has no public web address)
        "de": {"du": "Unser Team ist {when} wieder für dich da. Komm dann gern wieder.",
               "Sie": "Unser Team ist {when} wieder für Sie da. Kommen Sie dann gern wieder."},
        "en": "Our team is back {when}. Please come back then.",
    },
    "talk.back.today": {"de": "ab {time} Uhr", "en": "at {time}"},
    "talk.back.tomorrow": {"de": "morgen ab {time} Uhr", "en": "tomorrow at {time}"},
    "talk.back.day": {"de": "am {day} ab {time} Uhr", "en": "on {day} at {time}"},
    "weekday.0": {"de": "Montag", "en": "Monday"},
    "weekday.1": {"de": "Dienstag", "en": "Tuesday"},
    "weekday.2": {"de": "Mittwoch", "en": "Wednesday"},
    "weekday.3": {"de": "Donnerstag", "en": "Thursday"},
    "weekday.4": {"de": "Freitag", "en": "Friday"},
    "weekday.5": {"de": "Samstag", "en": "Saturday"},
    "weekday.6": {"de": "Sonntag", "en": "Sunday"},
    "appointment.error.no_kind": {
        "de": "Für diese Kategorie kann man keinen Termin buchen.",
        "en": "Appointments cannot be booked for this category.",
    },
    "appointment.error.taken": {
        "de": "Diesen Termin hat gerade jemand anderes gebucht. Diese Zeiten sind noch frei:",
        "en": "Someone else has just booked this time. These times are still free:",
    },
    "appointment.error.taken_none_free": {
        "de": "Diesen Termin hat gerade jemand anderes gebucht, und in den nächsten Wochen ist keiner mehr frei.",
        "en": "Someone else has just booked this time, and there is no other free time in the coming weeks.",
    },
    "appointment.error.past": {
        "de": "Diese Zeit ist schon vorbei. Diese Zeiten sind noch frei:",
        "en": "This time has already passed. These times are still free:",
    },
    "appointment.error.past_none_free": {
        "de": "Diese Zeit ist schon vorbei, und in den nächsten Wochen ist kein Termin mehr frei.",
        "en": "This time has already passed, and there is no free time in the coming weeks.",
    },
    "appointment.error.not_offered": {
        "de": "Zu dieser Zeit gibt es keine Termine. Diese Zeiten sind frei:",
        "en": "There are no appointments at this time. These times are free:",
    },
    "appointment.error.not_offered_none_free": {
        "de": "Zu dieser Zeit gibt es keine Termine, und in den nächsten Wochen ist keiner frei.",
        "en": "There are no appointments at this time, and there is no free time in the coming weeks.",
    },
    # ("staff": the staff console books for a caller and speaks about them, booking.book(channel="console"))
    "appointment.error.too_many_products": {
        "de": {"du": "Du kannst bis zu {count} Produkte zum Ausprobieren zurücklegen lassen.",
               "Sie": "Sie können bis zu {count} Produkte zum Ausprobieren zurücklegen lassen.",
               "staff": "Es lassen sich bis zu {count} Produkte zum Ausprobieren zurücklegen."},
        "en": "Up to {count} products can be set aside to try.",
    },
    "appointment.error.no_contact": {
        "de": {"du": "Bitte gib deinen Namen und eine E-Mail-Adresse oder Telefonnummer an.",
               "Sie": "Bitte geben Sie Ihren Namen und eine E-Mail-Adresse oder Telefonnummer an.",
               "staff": "Bitte den Namen des Anrufers und eine E-Mail-Adresse oder Telefonnummer eintragen."},
        "en": {"du": "Please give your name and an e-mail address or phone number.",
               "staff": "Please enter the caller's name and an e-mail address or phone number."},
    },
    "appointment.error.bad_contact": {
        "de": {"du": "Bitte prüfe deine E-Mail-Adresse oder Telefonnummer – so erreichen wir dich nicht.",
               "Sie": "Bitte prüfen Sie Ihre E-Mail-Adresse oder Telefonnummer – so erreichen wir Sie nicht.",
               "staff": "Diese E-Mail-Adresse oder Telefonnummer erreicht den Anrufer nicht – bitte nachfragen."},
        "en": {"du": "Please check your e-mail address or phone number – we could not reach you at this one.",
               "staff": "This e-mail address or phone number does not reach the caller – please check it with them."},
    },
    "appointment.error.unicode_address": {  # valid, but the outbox sends without SMTPUTF8
        "de": {"du": "An Adressen mit Umlauten oder anderen Sonderzeichen vor dem @ können wir leider keine E-Mails "
                     "schicken. Bitte gib eine andere E-Mail-Adresse oder deine Telefonnummer an.",
               "Sie": "An Adressen mit Umlauten oder anderen Sonderzeichen vor dem @ können wir leider keine E-Mails "
                      "schicken. Bitte geben Sie eine andere E-Mail-Adresse oder Ihre Telefonnummer an.",
               "staff": "An Adressen mit Umlauten oder anderen Sonderzeichen vor dem @ können wir leider keine "
                        "E-Mails schicken. Bitte den Anrufer nach einer anderen E-Mail-Adresse oder seiner "
                        "Telefonnummer fragen."},
        "en": {"du": "We cannot send e-mails to addresses with umlauts or other special characters before the @. "
                     "Please give another e-mail address or your phone number.",
               "staff": "We cannot send e-mails to addresses with umlauts or other special characters before the @. "
                        "Please ask the caller for another e-mail address or their phone number."},
    },
    "appointment.error.line_break": {  # a name or contact sent with a line break (a form's field is one line)
        "de": {"du": "Bitte schreib das in eine Zeile, ohne Zeilenumbruch.",
               "Sie": "Bitte schreiben Sie das in eine Zeile, ohne Zeilenumbruch.",
               "staff": "Bitte in eine Zeile schreiben, ohne Zeilenumbruch."},
        "en": "Please write this on one line, without a line break.",
    },
    "appointment.error.name_too_long": {
        "de": "Der Name hat höchstens {count} Zeichen.", "en": "A name has at most {count} characters.",
    },
    "appointment.error.contact_too_long": {
        "de": {"du": "Bitte gib eine E-Mail-Adresse oder Telefonnummer mit höchstens {count} Zeichen an.",
               "Sie": "Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer mit höchstens {count} Zeichen an.",
               "staff": "Bitte eine E-Mail-Adresse oder Telefonnummer mit höchstens {count} Zeichen eintragen."},
        "en": {"du": "Please give an e-mail address or phone number of at most {count} characters.",
               "staff": "Please enter an e-mail address or phone number of at most {count} characters."},
    },
    "appointment.error.not_booked": {
        "de": "Dieser Termin ist nicht mehr gebucht: Er wurde abgesagt oder ist vorbei.",
        "en": "This appointment is no longer booked: it was cancelled or is over.",
    },
    "appointment.error.link_used": {
        "de": "Dieser Link funktioniert nicht mehr: Er wurde schon benutzt oder der Termin ist vorbei.",
        "en": "This link no longer works: it has been used already or the appointment is over.",
    },
    "appointment.error.link_moved": {  # a link saved before the appointment was moved (the move gave new ones)
        "de": {"du": "Dieser Link gilt nicht mehr: Der Termin wurde verschoben, auf {day}, {time} Uhr. Den neuen "
                     "Link hast du beim Verschieben bekommen.",
               "Sie": "Dieser Link gilt nicht mehr: Der Termin wurde verschoben, auf {day}, {time} Uhr. Den neuen "
                      "Link haben Sie beim Verschieben bekommen."},
        "en": "This link no longer works: the appointment was moved, to {day}, {time}. The new link came with the "
              "move.",
    },
    "appointment.calendar.summary": {
        "de": "Beratungstermin: {category} bei {store}",
        "en": "Advice appointment: {category} at {store}",
    },
    "appointment.calendar.description": {
        "de": {"du": "Beratung mit {staff}. Dein Code: {code}", "Sie": "Beratung mit {staff}. Ihr Code: {code}"},
        "en": "Advice with {staff}. Your code: {code}",
    },
    "appointment.calendar.held": {
        "de": "Zum Ausprobieren zurückgelegt: {products}",
        "en": "Set aside to try: {products}",
    },
    "appointment.calendar.reschedule": {"de": "Termin verschieben: {url}", "en": "Move the appointment: {url}"},
    "appointment.calendar.cancel": {"de": "Termin absagen: {url}", "en": "Cancel the appointment: {url}"},
    "web.appointment.title": {"de": "Termin mit einer Beraterin oder einem Berater", "en": "Book a consultant"},
    "web.appointment.button": {"de": "Termin buchen", "en": "Book an appointment"},
    "web.appointment.intro": {
        "de": {"du": "Wähle einen Tag und eine Zeit. Deine Antworten und deine Auswahl liegen dann schon bereit.",
               "Sie": "Wählen Sie einen Tag und eine Zeit. Ihre Antworten und Ihre Auswahl liegen dann schon bereit."},
        "en": "Pick a day and a time. Your answers and your shortlist will be ready for the consultant.",
    },
    "web.appointment.intro_help": {
        "de": {"du": "Wähle einen Tag und eine Zeit. Deine Antworten liegen dann schon bereit.",
               "Sie": "Wählen Sie einen Tag und eine Zeit. Ihre Antworten liegen dann schon bereit."},
        "en": "Pick a day and a time. Your answers will be ready for the consultant.",
    },
    "web.appointment.day": {"de": "Tag", "en": "Day"},
    "web.appointment.show_day": {"de": "Zeiten zeigen", "en": "Show times"},
    "web.appointment.time": {"de": "Uhrzeit", "en": "Time"},
    # Said to a shopper reading English (perhaps booking from abroad); German shoppers live on the store's clock.
    "web.appointment.local_time": {
        "de": "Alle Uhrzeiten sind Ortszeit des Geschäfts ({zone}).",
        "en": "All times are the store's local time ({zone}).",
    },
    "web.appointment.no_slots": {
        "de": "An diesem Tag ist keine Zeit mehr frei.", "en": "No time is free on this day.",
    },
    "web.appointment.name": {"de": "Name", "en": "Name"},
    "web.appointment.contact": {"de": "E-Mail-Adresse oder Telefonnummer", "en": "E-mail address or phone number"},
    "web.appointment.products": {
        "de": {"du": "Bis zu {count} Produkte zum Ausprobieren zurücklegen lassen",
               "Sie": "Bis zu {count} Produkte zum Ausprobieren zurücklegen lassen"},
        "en": "Have up to {count} products set aside to try",
    },
    "web.appointment.consent": {
        "de": "Ich bin einverstanden, dass Name, Kontakt und meine Beratung bis nach dem Termin gespeichert werden.",
        "en": "I agree that my name, contact and advice are stored until after the appointment.",
    },
    "web.appointment.remind": {"de": "Am Tag vorher erinnern", "en": "Remind me the day before"},
    "web.appointment.consent_needed": {
        "de": {"du": "Bitte stimme der Speicherung zu, damit wir den Termin eintragen können.",
               "Sie": "Bitte stimmen Sie der Speicherung zu, damit wir den Termin eintragen können."},
        "en": "Please agree to the storage so that we can book the appointment.",
    },
    "web.appointment.no_time": {"de": "Bitte eine Uhrzeit wählen.", "en": "Please choose a time."},
    "web.appointment.done": {"de": "Termin gebucht", "en": "Appointment booked"},
    "web.appointment.when": {"de": "{day}, {time} Uhr mit {staff}", "en": "{day}, {time} with {staff}"},
    "web.appointment.held": {"de": "Zurückgelegt: {products}", "en": "Set aside: {products}"},
    "web.appointment.not_held": {
        "de": "Nicht mehr vorrätig zum Zurücklegen: {products}", "en": "None left to set aside: {products}",
    },
    "web.appointment.ics": {"de": "In den Kalender (.ics)", "en": "Add to calendar (.ics)"},
    "web.appointment.links": {
        "de": {"du": "Diese Links funktionieren je einmal – heb sie auf:",
               "Sie": "Diese Links funktionieren je einmal – heben Sie sie auf:"},
        "en": "Each of these links works once – keep them:",
    },
    "web.appointment.cancel": {"de": "Termin absagen", "en": "Cancel the appointment"},
    "web.appointment.cancel_confirm": {
        "de": {"du": "Möchtest du den Termin wirklich absagen?", "Sie": "Möchten Sie den Termin wirklich absagen?"},
        "en": "Do you really want to cancel the appointment?",
    },
    "web.appointment.cancelled": {"de": "Der Termin ist abgesagt.", "en": "The appointment is cancelled."},
    "web.appointment.mailed": {
        "de": "Die Bestätigung mit dem Kalendereintrag kommt in den nächsten Minuten per E-Mail.",
        "en": "The confirmation with the calendar entry arrives by e-mail within the next few minutes.",
    },
    "web.appointment.reschedule": {"de": "Termin verschieben", "en": "Move the appointment"},
    "web.appointment.current": {"de": "Gebucht ist: {when}", "en": "Booked: {when}"},
    "web.appointment.new_time": {"de": "Neue Uhrzeit", "en": "New time"},
    "web.appointment.move": {"de": "Auf diese Zeit verschieben", "en": "Move to this time"},
    "web.appointment.moved": {"de": "Der Termin ist verschoben.", "en": "The appointment is moved."},
    # The appointments booked for an advice, on the shopper's phone (/advice/appointments).
    "web.appointments.one": {"de": {"du": "Dein Termin", "Sie": "Ihr Termin"}, "en": "Your appointment"},
    "web.appointments.many": {"de": {"du": "Deine Termine", "Sie": "Ihre Termine"}, "en": "Your appointments"},
    "web.appointments.none": {
        "de": "Für diese Beratung ist kein Termin gebucht.", "en": "No appointment is booked for this advice.",
    },
    "web.appointments.missed": {  # an appointment of the advice marked as not turned up
        "de": {"du": "Deinen Termin am {when} hast du verpasst. Du kannst einen neuen vereinbaren.",
               "Sie": "Ihren Termin am {when} haben Sie verpasst. Sie können einen neuen vereinbaren."},
        "en": "You missed your appointment on {when}. You can book a new one.",
    },
    "web.appointments.yours": {"de": {"du": "Dein Termin: {when}", "Sie": "Ihr Termin: {when}"},
                               "en": "Your appointment: {when}"},
    "web.appointments.at": {"de": "{day}, {time} Uhr", "en": "{day}, {time}"},
    "web.appointments.to_advice": {"de": "Zur Beratung", "en": "To the advice"},
    "web.appointments.already": {
        "de": {"du": "Für diese Beratung hast du schon einen Termin:",
               "Sie": "Für diese Beratung haben Sie schon einen Termin:"},
        "en": "You already have an appointment for this advice:",
    },
    "web.appointments.another": {"de": "Weiteren Termin vereinbaren", "en": "Book another appointment"},
    "web.appointments.moves": {  # after web.appointments.already on the booking form
        "de": {"du": "Wählst du hier eine andere Zeit, wird er dorthin verschoben.",
               "Sie": "Wählen Sie hier eine andere Zeit, wird er dorthin verschoben."},
        "en": "Choosing another time here moves it there.",
    },
    "web.appointment.mail_limit": {  # booked, but the advice's (or this connection's) e-mails are used up for now
        "de": {"du": "Eine Bestätigung per E-Mail geht dieses Mal nicht raus: Aus dieser Beratung sind für heute schon "
                     "genug E-Mails verschickt. Bitte notiere dir Zeit und Code oder lade den Kalendereintrag.",
               "Sie": "Eine Bestätigung per E-Mail geht dieses Mal nicht raus: Aus dieser Beratung sind für heute "
                      "schon genug E-Mails verschickt. Bitte notieren Sie sich Zeit und Code oder laden Sie den "
                      "Kalendereintrag."},
        "en": "No confirmation goes out by e-mail this time: enough e-mails have been sent from this advice for "
              "today. Please note the time and the code, or download the calendar entry.",
    },
    "web.appointment.limit": {  # 429: this connection booked enough new appointments today
        "de": {"du": "Von diesem Anschluss sind heute schon genug Termine gebucht. Bitte versuch es in {wait} noch "
                     "einmal – oder komm ohne Termin im Laden vorbei.",
               "Sie": "Von diesem Anschluss sind heute schon genug Termine gebucht. Bitte versuchen Sie es in {wait} "
                      "noch einmal – oder kommen Sie ohne Termin im Laden vorbei."},
        "en": "Enough appointments have been booked from this connection today. Please try again in {wait} – or "
              "come to the store without one.",
    },
    "web.appointments.remailed": {
        "de": "Die neue Bestätigung kommt per E-Mail; die Links der alten funktionieren nicht mehr.",
        "en": "The new confirmation arrives by e-mail; the links in the old one no longer work.",
    },
    # The kiosk's booking (ui/booking.py): on the shopper's phone (their contact stays off the screen) or here.
    "booking.button": {"de": "Termin vereinbaren", "en": "Book an appointment"},
    "booking.intro": {
        "de": {"du": "Beim Termin liegen deine Antworten und deine Auswahl schon bereit. Wie möchtest du buchen?",
               "Sie": "Beim Termin liegen Ihre Antworten und Ihre Auswahl schon bereit. Wie möchten Sie buchen?"},
        "en": "Your answers and your shortlist will be ready for the consultant. How would you like to book?",
    },
    "booking.intro_help": {
        "de": {"du": "Beim Termin liegen deine Antworten schon bereit. Wie möchtest du buchen?",
               "Sie": "Beim Termin liegen Ihre Antworten schon bereit. Wie möchten Sie buchen?"},
        "en": "Your answers will be ready for the consultant. How would you like to book?",
    },
    "booking.on_phone": {"de": "Auf dem Handy buchen (empfohlen)", "en": "Book on my phone (recommended)"},
    "booking.on_phone_note": {
        "de": {"du": "Deinen Namen und deine Kontaktdaten gibst du dort ein, nicht auf diesem Bildschirm.",
               "Sie": "Ihren Namen und Ihre Kontaktdaten geben Sie dort ein, nicht auf diesem Bildschirm."},
        "en": "You type your name and contact there, not on this public screen.",
    },
    "booking.here": {"de": "Hier am Terminal buchen", "en": "Book here at the kiosk"},
    "booking.here_note": {
        "de": {"du": "Tag und Uhrzeit wählen, dann Name und E-Mail-Adresse oder Telefonnummer.",
               "Sie": "Tag und Uhrzeit wählen, dann Name und E-Mail-Adresse oder Telefonnummer."},
        "en": "Choose a day and a time, then your name and e-mail address or phone number.",
    },
    "booking.phone_hint": {
        "de": {"du": "Scanne den Code mit der Kamera deines Handys: Die Terminbuchung öffnet sich dort mit deiner "
                     "Beratung. Der Code funktioniert einmal, 5 Minuten lang.",
               "Sie": "Scannen Sie den Code mit der Kamera Ihres Handys: Die Terminbuchung öffnet sich dort mit Ihrer "
                      "Beratung. Der Code funktioniert einmal, 5 Minuten lang."},
        "en": "Scan the code with your phone's camera: the booking opens there with your advice. The code works "
              "once, for 5 minutes.",
    },
    "booking.done_qr": {
        "de": {"du": "QR-Code für deinen Termin auf dem Handy", "Sie": "QR-Code für Ihren Termin auf dem Handy"},
        "en": "QR code for your appointment on your phone",
    },
    "booking.done_qr_hint": {
        "de": {"du": "Scanne den QR-Code mit deinem Handy: Dort kannst du den Termin in deinen Kalender eintragen, "
                     "verschieben oder absagen. Er funktioniert einmal, 5 Minuten lang.",
               "Sie": "Scannen Sie den QR-Code mit Ihrem Handy: Dort können Sie den Termin in Ihren Kalender "
                      "eintragen, verschieben oder absagen. Er funktioniert einmal, 5 Minuten lang."},
        "en": "Scan the QR code with your phone: there you can add the appointment to your calendar, move it or "
              "cancel it. It works once, for 5 minutes.",
    },
    "booking.phone_qr": {"de": "QR-Code für die Terminbuchung", "en": "QR code for booking"},
    "booking.today": {"de": "Heute", "en": "Today"},
    "booking.tomorrow": {"de": "Morgen", "en": "Tomorrow"},
    "booking.loading": {"de": "Freie Zeiten werden geladen …", "en": "Loading the free times …"},
    "booking.later_day": {  # a booking opened without a day chosen, when today has no free time left
        "de": "Heute ist keine Zeit mehr frei. Hier sind die freien Zeiten am {day}.",
        "en": "No time is free today any more. Here are the free times on {day}.",
    },
    "booking.next_free_day": {  # a booking opened without a day chosen, when the first day offered has no free time
        "de": "Die nächsten freien Zeiten sind am {day}.",
        "en": "The next free times are on {day}.",
    },
    "booking.none_free": {  # no time at all is free within the booking horizon
        "de": {"du": "In den nächsten {days} Tagen ist leider kein Termin frei. Sprich gern jemanden im Laden an.",
               "Sie": "In den nächsten {days} Tagen ist leider kein Termin frei. Sprechen Sie gern jemanden im Laden "
                      "an."},
        "en": "Sorry, no appointment is free in the next {days} days. Please ask someone in the store.",
    },
    "booking.closed_day": {  # a day asked for (`?day=`) on which the store is closed
        "de": "Am {day} ist der Laden geschlossen – hier die nächsten freien Zeiten.",
        "en": "The store is closed on {day} – here are the next free times.",
    },
    "booking.part.morning": {"de": "Vormittag", "en": "Morning"},
    "booking.part.midday": {"de": "Mittag", "en": "Midday"},
    "booking.part.afternoon": {"de": "Nachmittag", "en": "Afternoon"},
    "booking.part.evening": {"de": "Abend", "en": "Evening"},
    "booking.choose_time": {
        "de": {"du": "Bitte wähle eine Uhrzeit.", "Sie": "Bitte wählen Sie eine Uhrzeit."},
        "en": "Please choose a time.",
    },
    "booking.next": {"de": "Weiter", "en": "Next"},
    "booking.chosen": {"de": "Gewählt: {when}", "en": "Chosen: {when}"},
    "booking.when": {"de": "{day}, {time} Uhr", "en": "{day}, {time}"},
    "booking.time": {"de": "{time} Uhr", "en": "{time}"},  # a free time said within the day just said
    "booking.held_said": {  # said as name and contact are asked: the products ticked to be set aside, above them
        "de": {"du": "Zurückgelegt werden: {products} – abwählen kannst du sie weiter oben.",
               "Sie": "Zurückgelegt werden: {products} – abwählen können Sie sie weiter oben."},
        "en": "Set aside for you: {products} – untick them further up.",
    },
    "booking.code": {
        "de": {"du": "Dein Code zum Einchecken und Weitermachen: {code}",
               "Sie": "Ihr Code zum Einchecken und Weitermachen: {code}"},
        "en": "Your code to check in and continue: {code}",
    },
    "booking.no_mail": {
        "de": {"du": "Es geht keine E-Mail raus: Bitte notiere dir Zeit und Code.",
               "Sie": "Es geht keine E-Mail raus: Bitte notieren Sie sich Zeit und Code."},
        "en": "No e-mail is sent: please note the time and the code.",
    },
    "booking.offline": {
        "de": {"du": "Die Terminbuchung ist gerade gestört. Sprich bitte jemanden im Laden an.",
               "Sie": "Die Terminbuchung ist gerade gestört. Sprechen Sie bitte jemanden im Laden an."},
        "en": "Booking does not work right now. Please ask someone in the store.",
    },
    "mail.appointment.subject": {
        "de": {"du": "Dein Termin bei {store}: {when}", "Sie": "Ihr Termin bei {store}: {when}"},
        "en": "Your appointment at {store}: {when}",
    },
    "mail.appointment.reminder_subject": {
        "de": "Erinnerung: morgen {time} Uhr bei {store}",
        "en": "Reminder: tomorrow at {time} at {store}",
    },
    "mail.appointment.moved_subject": {
        "de": {"du": "Termin verschoben: dein Termin bei {store} ist jetzt {when}",
               "Sie": "Termin verschoben: Ihr Termin bei {store} ist jetzt {when}"},
        "en": "Appointment moved: your appointment at {store} is now {when}",
    },
    "mail.appointment.cancelled_subject": {
        "de": {"du": "Termin abgesagt: dein Termin bei {store} am {when}",
               "Sie": "Termin abgesagt: Ihr Termin bei {store} am {when}"},
        "en": "Appointment cancelled: your appointment at {store} on {when}",
    },
    "mail.appointment.moved": {
        "de": {"du": "dein Termin ist verschoben. Die neue Zeit:", "Sie": "Ihr Termin ist verschoben. Die neue Zeit:"},
        "en": "Your appointment is moved. The new time:",
    },
    "mail.appointment.handed_subject": {
        "de": {"du": "Dein Termin bei {store} ({when}): jetzt mit {staff}",
               "Sie": "Ihr Termin bei {store} ({when}): jetzt mit {staff}"},
        "en": "Your appointment at {store} ({when}): now with {staff}",
    },
    "mail.appointment.handed": {
        "de": {"du": "dein Termin bleibt, wie er ist – nur berät dich jetzt {staff} statt {was}:",
               "Sie": "Ihr Termin bleibt, wie er ist – nur berät Sie jetzt {staff} statt {was}:"},
        "en": "Your appointment stays as it is – only {staff} will advise you instead of {was}:",
    },
    "mail.appointment.moved_from": {"de": "Statt bisher: {when}", "en": "Instead of: {when}"},
    "mail.appointment.cancelled": {
        "de": {"du": "dein Termin ist abgesagt:", "Sie": "Ihr Termin ist abgesagt:"},
        "en": "Your appointment is cancelled:",
    },
    "mail.appointment.ics_cancelled": {
        "de": {"du": "Mit dem Anhang (.ics) nimmt dein Kalender den Termin wieder heraus.",
               "Sie": "Mit dem Anhang (.ics) nimmt Ihr Kalender den Termin wieder heraus."},
        "en": "The attachment (.ics) takes the appointment out of your calendar.",
    },
    "mail.appointment.hello": {"de": "Hallo {name},", "en": "Hello {name},"},
    "mail.appointment.booked": {
        "de": {"du": "dein Termin ist gebucht:", "Sie": "Ihr Termin ist gebucht:"},
        "en": "Your appointment is booked:",
    },
    "mail.appointment.reminder": {
        "de": {"du": "wir freuen uns auf dich – morgen ist dein Termin:",
               "Sie": "wir freuen uns auf Sie – morgen ist Ihr Termin:"},
        "en": "We look forward to seeing you – your appointment is tomorrow:",
    },
    "mail.appointment.when": {"de": "{day}, {start}–{end} Uhr", "en": "{day}, {start}–{end}"},
    "mail.appointment.local_time": {"de": "{when} (Ortszeit {zone})", "en": "{when} ({zone} time)"},
    "mail.appointment.what": {
        "de": "Beratung: {category} · mit {staff} · {store}",
        "en": "Advice: {category} · with {staff} · {store}",
    },
    "mail.appointment.ics": {
        "de": {"du": "Den Termin für deinen Kalender findest du im Anhang (.ics).",
               "Sie": "Den Termin für Ihren Kalender finden Sie im Anhang (.ics)."},
        "en": "The appointment for your calendar is attached (.ics).",
    },
    "mail.appointment.links_in_confirmation": {
        "de": {"du": "Verschieben oder absagen kannst du mit den Links aus der Bestätigung.",
               "Sie": "Verschieben oder absagen können Sie mit den Links aus der Bestätigung."},
        "en": "To move or cancel, use the links in the confirmation.",
    },
    "mail.appointment.bye": {
        "de": {"du": "Bis bald – dein Team von {store}", "Sie": "Bis bald – Ihr Team von {store}"},
        "en": "See you soon – the team at {store}",
    },
    "web.appointment.none": {
        "de": "Für diese Beratung kann man keinen Termin buchen.",
        "en": "Appointments cannot be booked for this advice.",
    },
    # Repair orders (advisor/repairs): the states and actions, the web page, the console, the ready mail
    "repair.state.registered": {"de": "Angemeldet – noch nicht abgegeben", "en": "Registered – not handed in yet"},
    "repair.state.received": {"de": "Angenommen", "en": "Received"},
    "repair.state.cancelled": {"de": "Nicht abgegeben – gestrichen", "en": "Never handed in – cancelled"},
    "repair.state.diagnosed": {"de": "Begutachtet", "en": "Diagnosed"},
    "repair.state.in_repair": {"de": "In Reparatur", "en": "Being repaired"},
    "repair.state.ready": {"de": "Abholbereit", "en": "Ready to collect"},
    "repair.state.collected": {"de": "Abgeholt", "en": "Collected"},
    "repair.state.returned_unrepaired": {"de": "Unrepariert zurückgegeben", "en": "Returned unrepaired"},
    "repair.action.receive": {"de": "Produkt angenommen", "en": "Product received"},
    "repair.action.cancel": {"de": "Nicht gebracht – streichen", "en": "Never brought – cancel"},
    "repair.action.diagnose": {"de": "Begutachtung fertig", "en": "Diagnosis done"},
    "repair.action.start_repair": {"de": "Reparatur beginnen", "en": "Start the repair"},
    "repair.action.finish": {"de": "Fertig – abholbereit", "en": "Done – ready to collect"},
    "repair.action.hand_over": {"de": "Abgeholt – übergeben", "en": "Collected – handed over"},
    "repair.action.return_unrepaired": {"de": "Unrepariert zurückgeben", "en": "Return unrepaired"},
    "repair.code": {"de": "Abholcode: {code}", "en": "Pickup code: {code}"},
    "repair.cost": {"de": "Voraussichtliche Kosten: {cost}", "en": "Expected cost: {cost}"},
    "repair.cost.free": {"de": "kostenlos", "en": "free of charge"},
    # An order taken while the statutory warranty may apply (advisor/service/warranty.py's rule)
    "repair.warranty": {
        "de": {"du": "Möglicherweise Gewährleistung – bring bitte den Kaufbeleg mit",
               "Sie": "Möglicherweise Gewährleistung – bitte Kaufbeleg mitbringen"},
        "en": "The warranty may apply – please bring the receipt",
    },
    "repair.cost.warranty": {"de": "kostenlos, falls Gewährleistung greift; sonst {cost}",
                             "en": "free of charge if the warranty applies; otherwise {cost}"},
    "repair.cost.warranty_only": {"de": "kostenlos, falls Gewährleistung greift",
                                  "en": "free of charge if the warranty applies"},
    # Said once the repair is done: no final cost is recorded, so the estimate is not repeated as if it were the price
    "repair.cost.at_desk": {
        "de": {"du": "Die Kosten erfährst du an der Servicetheke.",
               "Sie": "Die Kosten erfahren Sie an der Servicetheke."},
        "en": "You will hear the cost at the service desk.",
    },
    # When a ready repair can be collected (advisor/repairs/days.py): the day and that day's hours
    "repair.collect_from": {"de": "Abholbar ab {day}, {start}–{end} Uhr",
                            "en": "Ready to collect from {day}, {start}–{end}"},
    # Why an expected ready day moved (the counter's form): the days the store is closed
    "repair.closed.one": {"de": "{days} ist geschlossen", "en": "{days} is closed"},
    "repair.closed.other": {"de": "{days} sind geschlossen", "en": "{days} are closed"},
    "repair.bring": {
        "de": {"du": "Zum Abholen brauchst du deinen Abholcode {code}.",
               "Sie": "Zum Abholen brauchen Sie Ihren Abholcode {code}."},
        "en": "To collect it, you need your pickup code {code}.",
    },
    "repair.bring_in": {
        "de": {"du": "Bring das Produkt mit deinem Abholcode {code} an die Servicetheke. Fertig ist es etwa {days} "
                     "Tage nach der Abgabe; zum Abholen brauchst du den Code wieder.",
               "Sie": "Bringen Sie das Produkt mit Ihrem Abholcode {code} an die Servicetheke. Fertig ist es etwa "
                      "{days} Tage nach der Abgabe; zum Abholen brauchen Sie den Code wieder."},
        "en": "Bring the product to the service desk with your pickup code {code}. It will be ready about {days} days "
              "after you hand it in; you need the code again to collect it.",
    },
    # The insights report's service section (advisor/rendering/report.py, the console's insights)
    "report.service.title": {
        "de": "Service: Probleme und wie sie gelöst wurden",
        "en": "Service: problems and how they were solved",
    },
    "report.service.runs": {"de": "Service-Beratungen", "en": "Service consultations"},
    "report.service.runs_base": {"de": "im Zeitraum, jede einmal gezählt", "en": "in the period, each counted once"},
    "report.service.started": {"de": "Service-Beratungen begonnen", "en": "Service consultations started"},
    "report.service.started_base": {
        "de": "mit Beginn im Zeitraum",
        "en": "begun in the period",
    },
    "report.service.reached": {"de": "Bis zu einer Lösung", "en": "Reached an outcome"},
    "report.service.reached_base": {
        "de": "von {count} begonnenen ({share}); die übrigen brachen vorher ab",
        "en": "of {count} started ({share}); the others stopped before",
    },
    "report.service.reach": {
        "de": "Begonnen und bis zu einer Lösung",
        "en": "Started and reached an outcome",
    },
    "report.service.flow": {"de": "Service-Fragebogen", "en": "Service questionnaire"},
    "report.service.all": {"de": "Alle zusammen", "en": "All together"},
    "report.service.flow_base": {
        "de": "Service-Beratungen mit diesem Fragebogen",
        "en": "service consultations with this questionnaire",
    },
    "report.service.none": {
        "de": "Keine Service-Beratung in diesem Zeitraum.",
        "en": "No service consultation in this period.",
    },
    "report.service.family": {
        "de": "{family}: häufigste Probleme (Beratungen)",
        "en": "{family}: most frequent problems (consultations)",
    },
    "report.service.solved": {
        "de": "So wurde gelöst (Beratungen, Anteil)",
        "en": "How it was solved (consultations, share)",
    },
    "report.service.products": {"de": "Produkte mit den meisten Problemen", "en": "Products with the most problems"},
    "report.service.product": {"de": "Produkt", "en": "Product"},
    "report.service.problems": {"de": "Probleme (Beratungen)", "en": "Problems (consultations)"},
    "report.service.note": {
        "de": "So wird gezählt: Eine Service-Beratung zählt einmal, mit den Lösungen, die ihr zuletzt gezeigt "
              "wurden. Das Problem ist die Antwort auf die Frage nach dem Problem (bei Mehrfachauswahl jede "
              "gewählte Antwort). Wie es gelöst wurde, sagt die erste gezeigte Lösung: eine Anleitung zählt als "
              "Selbsthilfe, eine Reparatur und ein Gewährleistungsfall zählen beide als Reparatur (das Geschäft "
              "sieht sich das Produkt an). Produkte erscheinen nur, wenn der Kunde sein Produkt genannt hat.",
        "en": "How it is counted: a service consultation counts once, with the outcomes it was shown last. The "
              "problem is the answer to the question about the problem (each option chosen, for a multiple choice)."
              " How it was solved follows the first outcome shown: a guide counts as self-help, a repair and a "
              "warranty claim both count as a repair (the store looks at the product either way). Products appear "
              "only when the shopper named theirs.",
    },
    # Size advice (a finder's results.size block)
    # ("staff": the console's case sheet, beside each product on the shortlist)
    "size.try": {
        "de": {"du": "Probier Größe {size}", "Sie": "Probieren Sie Größe {size}", "staff": "Zum Anprobieren: {size}"},
        "en": {"du": "Try size {size}", "staff": "Size to try: {size}"},
    },
    "size.try_neighbour": {
        "de": {"du": "Probier Größe {size} (oder {neighbour})", "Sie": "Probieren Sie Größe {size} (oder {neighbour})",
               "staff": "Zum Anprobieren: {size} (oder {neighbour})"},
        "en": {"du": "Try size {size} (or {neighbour})", "staff": "Size to try: {size} (or {neighbour})"},
    },
    "size.here": {"de": "{size}: {count} hier", "en": "{size}: {count} here"},
    "size.not_here": {"de": "{size} hier nicht vorrätig", "en": "{size} not in stock here"},
    # Help with a product (service flows, advisor/rendering/service.py): kiosk and web companion alike
    "help.start": {"de": "Hilfe mit meinem Produkt", "en": "Help with my product"},
    "help.start.hint": {
        "de": {"du": "Pflege, Reparatur, Ersatzteile", "Sie": "Pflege, Reparatur, Ersatzteile"},
        "en": "Care, repair, spare parts",
    },
    "help.choose": {
        "de": {"du": "Wobei können wir dir helfen?", "Sie": "Wobei können wir Ihnen helfen?"},
        "en": "What can we help you with?",
    },
    "help.find.title": {
        "de": {"du": "Welches Produkt hast du?", "Sie": "Welches Produkt haben Sie?"},
        "en": "Which product do you have?",
    },
    "help.find.field": {"de": "Barcode scannen oder Namen eingeben", "en": "Scan the barcode or type the name"},
    "help.find.hint": {
        "de": {"du": "Den Barcode findest du auf dem Etikett, dem Kassenbon oder der Verpackung.",
               "Sie": "Den Barcode finden Sie auf dem Etikett, dem Kassenbon oder der Verpackung."},
        "en": "The barcode is on the label, the receipt or the packaging.",
    },
    "help.find.search": {"de": "Suchen", "en": "Search"},
    "help.find.none": {
        "de": "Dazu finden wir nichts in „{category}“: „{query}“.",
        "en": "Nothing in “{category}” matches “{query}”.",
    },
    "help.find.code_unknown": {
        "de": {"du": "Den Code {code} kennen wir in „{category}“ nicht. Versuch es mit dem Namen.",
               "Sie": "Den Code {code} kennen wir in „{category}“ nicht. Versuchen Sie es mit dem Namen."},
        "en": "We don't know the code {code} in “{category}”. Try the name.",
    },
    "help.find.pick": {"de": "Oder aus den Bildern wählen", "en": "Or pick it from the pictures"},
    "help.find.empty": {
        "de": {"du": "Gib erst einen Namen ein oder scanne den Barcode – oder wähle dein Produkt aus den Bildern.",
               "Sie": "Geben Sie erst einen Namen ein oder scannen Sie den Barcode – oder wählen Sie Ihr Produkt aus "
                      "den Bildern."},
        "en": "First type a name or scan the barcode – or pick your product from the pictures.",
    },
    "help.find.found": {"de": "Gefunden für „{query}“: {count}", "en": "Found for “{query}”: {count}"},
    "help.find.resume": {"de": "Code einer früheren Beratung", "en": "Code of an earlier advice"},
    "help.find.from_code": {"de": "Aus der Beratung {code}", "en": "From the advice {code}"},
    "help.find.skip": {"de": "Weiß ich nicht – weiter ohne", "en": "Don't know – go on without"},
    "help.product": {"de": {"du": "Dein Produkt: {name}", "Sie": "Ihr Produkt: {name}"}, "en": "Your product: {name}"},
    "help.product.change": {"de": "Anderes Produkt", "en": "Another product"},
    "help.outcomes": {
        "de": {"du": "Das kannst du tun", "Sie": "Das können Sie tun"},
        "en": "What you can do",
    },
    "help.outcomes.none": {
        "de": {"du": "Dafür haben wir keine Anleitung – sprich mit uns, wir schauen es uns an.",
               "Sie": "Dafür haben wir keine Anleitung – sprechen Sie mit uns, wir schauen es uns an."},
        "en": "We have no guide for this – talk to us and we will look at it.",
    },
    "help.difficulty.easy": {"de": "Schwierigkeit: leicht", "en": "Difficulty: easy"},
    "help.difficulty.medium": {"de": "Schwierigkeit: mittel", "en": "Difficulty: medium"},
    "help.difficulty.hard": {"de": "Schwierigkeit: anspruchsvoll", "en": "Difficulty: demanding"},
    "help.minutes": {"de": "etwa {minutes} Minuten", "en": "about {minutes} minutes"},
    "help.tools": {"de": "Werkzeug: {tools}", "en": "Tools: {tools}"},
    "help.needs": {"de": {"du": "Das brauchst du dafür", "Sie": "Das brauchen Sie dafür"}, "en": "What you need"},
    "help.step": {"de": "Schritt {number}", "en": "Step {number}"},
    "help.part.in_stock": {"de": "{count} vorrätig", "en": "{count} in stock"},
    # A part not on this store's shelf: where else it is ({stores}: "Hamburg: 9, Berlin: 2"), else an order
    "help.part.elsewhere": {"de": "Derzeit nicht vorrätig – in {stores}", "en": "Currently out of stock – in {stores}"},
    "help.part.other_stores": {"de": "anderen Filialen", "en": "other stores"},
    # (the three with most of it, then how many more stores have it: facts.elsewhere)
    "help.part.more_stores": {"de": "{stores} und {count} weiteren Filialen",
                              "en": "{stores} and {count} other stores"},
    "help.part.more_stores.one": {"de": "{stores} und einer weiteren Filiale", "en": "{stores} and one other store"},
    "help.part.to_order": {
        "de": {"du": "Derzeit nicht vorrätig – wir können es für dich bestellen",
               "Sie": "Derzeit nicht vorrätig – wir können es für Sie bestellen"},
        "en": "Currently out of stock – we can order it for you",
    },
    "help.repair.by.store": {"de": "In unserer Werkstatt", "en": "In our workshop"},
    "help.repair.by.manufacturer": {"de": "Beim Reparaturservice des Herstellers",
                                    "en": "At the manufacturer's repair service"},
    "help.repair.days": {"de": "etwa {days} Tage", "en": "about {days} days"},
    "help.person": {
        "de": {"du": "Jemand aus dem Team schaut es sich mit dir an – mit allem, was du hier schon angegeben hast.",
               "Sie": "Jemand aus dem Team schaut es sich mit Ihnen an – mit allem, was Sie hier schon angegeben "
                      "haben."},
        "en": "A member of staff looks at it with you – with everything you have told us here.",
    },
    "help.order": {"de": "Reparatur beauftragen", "en": "Order the repair"},
    "help.order.already": {
        "de": {"du": "Diese Reparatur hast du schon angemeldet. Dein Abholcode: {code}",
               "Sie": "Diese Reparatur haben Sie schon angemeldet. Ihr Abholcode: {code}"},
        "en": "You have already registered this repair. Your pickup code: {code}",
    },
    "help.order.change": {"de": "Angaben zur Reparatur ändern", "en": "Change the repair's details"},
    "help.order.intro": {
        "de": {"du": "Bring das Produkt an die Servicetheke. Mit dem Abholcode verfolgst du den Stand.",
               "Sie": "Bringen Sie das Produkt an die Servicetheke. Mit dem Abholcode verfolgen Sie den Stand."},
        "en": "Bring the product to the service desk. The pickup code lets you follow the repair.",
    },
    "help.order.consent": {
        "de": {"du": "Ja, speichert meinen Kontakt und schreibt mir, wenn es fertig ist.",
               "Sie": "Ja, speichern Sie meinen Kontakt und schreiben Sie mir, wenn es fertig ist."},
        "en": "Yes, keep my contact and write to me when it is ready.",
    },
    "help.order.consent.no_mail": {  # the web companion without e-mail set up: no ready mail is promised
        "de": {"du": "Ja, speichert meinen Kontakt, damit ihr mich bei Fragen zur Reparatur erreicht.",
               "Sie": "Ja, speichern Sie meinen Kontakt, damit Sie mich bei Fragen zur Reparatur erreichen."},
        "en": "Yes, keep my contact so that you can reach me about the repair.",
    },
    "help.order.name": {"de": "Name", "en": "Name"},
    "help.order.email": {"de": "E-Mail", "en": "E-mail"},
    "help.order.phone": {"de": "Telefon (freiwillig)", "en": "Phone (optional)"},
    "help.order.send": {"de": "Reparatur anmelden", "en": "Register the repair"},
    "help.order.done": {"de": "Reparatur angemeldet", "en": "Repair registered"},
    "help.order.follow": {
        "de": {"du": "Den Stand siehst du mit diesem Code auf deinem Handy.",
               "Sie": "Den Stand sehen Sie mit diesem Code auf Ihrem Handy."},
        "en": "Follow the repair with this code on your phone.",
    },
    "help.order.no_mail": {  # the web companion without e-mail set up: how the shopper learns the repair is ready
        "de": {"du": "Es geht keine E-Mail raus, wenn sie fertig ist: Ob sie abholbereit ist, siehst du mit diesem "
                     "Code unter „Stand deiner Reparatur ansehen“ auf der Startseite.",
               "Sie": "Es geht keine E-Mail raus, wenn sie fertig ist: Ob sie abholbereit ist, sehen Sie mit diesem "
                      "Code unter „Stand Ihrer Reparatur ansehen“ auf der Startseite."},
        "en": "No e-mail is sent when it is ready: whether it is ready to collect, you see with this code under "
              "“Follow your repair” on the start page.",
    },
    "help.order.failed": {
        "de": "Die Reparatur konnte gerade nicht angemeldet werden: {reason}",
        "en": "The repair could not be registered just now: {reason}",
    },
    "help.order.limit": {  # 429: this connection registered enough repairs today
        "de": {"du": "Von diesem Anschluss sind heute schon genug Reparaturen angemeldet. Bitte versuch es in {wait} "
                     "noch einmal – oder bring das Produkt einfach an die Servicetheke.",
               "Sie": "Von diesem Anschluss sind heute schon genug Reparaturen angemeldet. Bitte versuchen Sie es in "
                      "{wait} noch einmal – oder bringen Sie das Produkt einfach an die Servicetheke."},
        "en": "Enough repairs have been registered from this connection today. Please try again in {wait} – or "
              "simply bring the product to the service desk.",
    },
    "help.order.phone_invalid": {
        "de": {"du": "Bitte gib die Telefonnummer in Ziffern an, etwa 0151 2345678.",
               "Sie": "Bitte geben Sie die Telefonnummer in Ziffern an, etwa 0151 2345678."},
        "en": "Please give the phone number in digits, such as 0151 2345678.",
    },
    "help.order.consent_needed": {
        "de": {"du": "Damit wir dir Bescheid geben können, setz bitte das Häkchen – oder lass Name, E-Mail und "
                     "Telefon leer.",
               "Sie": "Damit wir Ihnen Bescheid geben können, setzen Sie bitte das Häkchen – oder lassen Sie Name, "
                      "E-Mail und Telefon leer."},
        "en": "So that we can tell you, tick the box – or leave name, e-mail and phone empty.",
    },
    "help.order.contact_missing": {
        "de": {"du": "Damit wir dir Bescheid geben können, gib eine E-Mail-Adresse oder Telefonnummer an – oder nimm "
                     "das Häkchen weg.",
               "Sie": "Damit wir Ihnen Bescheid geben können, geben Sie eine E-Mail-Adresse oder Telefonnummer an – "
                      "oder nehmen Sie das Häkchen weg."},
        "en": "So that we can tell you, give an e-mail address or a phone number – or untick the box.",
    },
    "help.order.no_product": {
        "de": {"du": "Für eine Reparatur brauchen wir dein Produkt – such es oben.",
               "Sie": "Für eine Reparatur brauchen wir Ihr Produkt – suchen Sie es oben."},
        "en": "For a repair we need your product – find it above.",
    },
    "help.order.needs_product": {  # the kiosk's repair card and dialog: no place on the screen, the button follows
        "de": {"du": "Für eine Reparatur brauchen wir dein Produkt.",
               "Sie": "Für eine Reparatur brauchen wir Ihr Produkt."},
        "en": "For a repair we need your product.",
    },
    "help.talk": {"de": "Mit jemandem vom Team sprechen", "en": "Talk to someone from the team"},
    # Help with my product on the web companion (help_find.html, help_outcomes.html, help_order_done.html)
    "web.help.found": {"de": "Gefunden", "en": "Found"},
    "web.help.code_none": {
        "de": "In der Beratung {code} ist nichts aus „{category}“.",
        "en": "The advice {code} has nothing in “{category}”.",
    },
    "web.help.name_product": {
        "de": {"du": "Dein Produkt angeben", "Sie": "Ihr Produkt angeben"},
        "en": "Name your product",
    },
    "web.help.pickup_code": {
        "de": {"du": "Dein Abholcode", "Sie": "Ihr Abholcode"},
        "en": "Your pickup code",
    },
    "web.help.track": {"de": "Stand der Reparatur ansehen", "en": "See how the repair is going"},
    "web.help.back": {"de": "Zurück zu den Lösungen", "en": "Back to what you can do"},
    "web.help.follow_repair": {
        "de": {"du": "Stand deiner Reparatur ansehen", "Sie": "Stand Ihrer Reparatur ansehen"},
        "en": "Follow your repair",
    },
    "web.repair.title": {
        "de": {"du": "Stand deiner Reparatur", "Sie": "Stand Ihrer Reparatur"},
        "en": "Your repair",
    },
    "web.repair.intro": {
        "de": {"du": "Gib deinen Abholcode ein – er steht in deiner Bestätigung.",
               "Sie": "Geben Sie Ihren Abholcode ein – er steht in Ihrer Bestätigung."},
        "en": "Type your pickup code – it is in your confirmation.",
    },
    "web.repair.code_label": {"de": "Abholcode (8 Zeichen)", "en": "Pickup code (8 characters)"},
    "web.repair.show": {"de": "Stand zeigen", "en": "Show"},
    "web.repair.unknown": {
        "de": {"du": "Diesen Abholcode kennen wir nicht. Prüf ihn bitte in deiner Bestätigung – oder frag uns im "
                     "Laden.",
               "Sie": "Diesen Abholcode kennen wir nicht. Bitte prüfen Sie ihn in Ihrer Bestätigung – oder fragen "
                      "Sie uns im Laden."},
        "en": "We don't know this pickup code. Please check it in your confirmation – or ask us in the store.",
    },
    "web.repair.what": {"de": "{product} · {store}", "en": "{product} · {store}"},
    "web.repair.progress": {"de": "Verlauf", "en": "Progress"},
    "web.repair.now": {"de": "jetzt", "en": "now"},
    "web.repair.not_yet": {"de": "noch nicht", "en": "not yet"},
    "web.repair.at": {"de": "{date}, {time} Uhr", "en": "{date}, {time}"},
    "web.repair.expected": {"de": "Voraussichtlich fertig: {date}", "en": "Expected to be ready: {date}"},
    "web.repair.collect": {"de": "Zum Abholen", "en": "To collect"},
    "web.repair.hand_in": {"de": "Zum Abgeben", "en": "To hand it in"},
    "web.repair.where": {
        "de": {"du": "Du bekommst es an der Servicetheke von {store}.",
               "Sie": "Sie bekommen es an der Servicetheke von {store}."},
        "en": "Collect it at the service desk of {store}.",
    },
    "web.repair.where_hand_in": {
        "de": {"du": "Gib es an der Servicetheke von {store} ab.",
               "Sie": "Geben Sie es an der Servicetheke von {store} ab."},
        "en": "Hand it in at the service desk of {store}.",
    },
    "web.repair.finished": {"de": "Diese Reparatur ist abgeschlossen.", "en": "This repair is finished."},
    "web.repair.cancelled": {
        "de": {"du": "Diese Reparatur wurde gestrichen, weil das Produkt nicht abgegeben wurde. Du kannst die "
                     "Reparatur jederzeit neu anmelden.",
               "Sie": "Diese Reparatur wurde gestrichen, weil das Produkt nicht abgegeben wurde. Sie können die "
                      "Reparatur jederzeit neu anmelden."},
        "en": "This repair was struck off because the product was not brought in. You can register the repair again "
              "at any time.",
    },
    "web.repair.unrepaired": {
        "de": {"du": "Dein Produkt ging ohne Reparatur zurück. Fragen dazu beantworten wir gern im Laden.",
               "Sie": "Ihr Produkt ging ohne Reparatur zurück. Fragen dazu beantworten wir gern im Laden."},
        "en": "Your product went back without a repair. We are happy to answer questions about it in the store.",
    },
    "web.repair.another": {"de": "Anderen Abholcode eingeben", "en": "Type another pickup code"},
    "console.repairs": {"de": "Reparaturen", "en": "Repairs"},
    "console.own_product": {"de": "Eigenes Produkt: {name}", "en": "Their product: {name}"},
    "console.own_product_unknown": {"de": "Eigenes Produkt: nicht angegeben", "en": "Their product: not given"},
    "console.help_offered": {"de": "Angeboten: {titles}", "en": "Offered: {titles}"},
    "console.repair.none": {"de": "Keine offenen Reparaturen.", "en": "No open repairs."},
    "console.repair.none_hint": {
        "de": "Reparaturen, die Kunden am Kiosk oder auf dem Handy anmelden, stehen hier, bis sie abgeholt sind. "
              "Ein Kunde an der Theke: „Reparatur annehmen“.",
        "en": "Repairs that customers order at a kiosk or on their phone are listed here until they are collected. "
              "A customer at the counter: “Take in a repair”.",
    },
    "console.repair.choose": {
        "de": "Eine Reparatur auswählen: was zu tun ist, steht rechts.",
        "en": "Choose a repair: what can be done is on the right.",
    },
    "console.repair.age.today": {"de": "heute angenommen", "en": "taken in today"},
    "console.repair.age.today_registered": {"de": "heute angemeldet", "en": "registered today"},
    "console.repair.age.one": {"de": "seit 1 Tag", "en": "1 day ago"},
    "console.repair.age.other": {"de": "seit {days} Tagen", "en": "{days} days ago"},
    "console.repair.age.registered_one": {"de": "vor 1 Tag angemeldet", "en": "registered 1 day ago"},
    "console.repair.age.registered_other": {"de": "vor {days} Tagen angemeldet", "en": "registered {days} days ago"},
    "console.repair.overdue": {"de": "überfällig", "en": "overdue"},
    "console.repair.expected": {"de": "fertig bis {date}", "en": "ready by {date}"},
    "console.repair.expected_after": {"de": "fertig etwa {days} Tage nach der Abgabe",
                                      "en": "ready about {days} days after the hand-in"},
    "console.repair.tried": {"de": "Schon versucht: {steps}", "en": "Already tried: {steps}"},
    "console.repair.article": {"de": "Artikel: {article}", "en": "Article: {article}"},
    "console.repair.answers": {"de": "Antworten", "en": "Answers"},
    "console.repair.contact": {"de": "Kontakt: {contact}", "en": "Contact: {contact}"},
    "console.repair.no_contact": {"de": "Kein Kontakt (keine Einwilligung)", "en": "No contact (no consent)"},
    "console.repair.moved": {"de": "{code}: {state}", "en": "{code}: {state}"},
    "console.repair.mailed": {"de": "Der Kunde bekommt eine E-Mail.", "en": "The customer gets an e-mail."},
    # Asked before an action that ends an order (ui/repairs.py): it leaves the list and cannot be undone
    "console.repair.end_confirm.title": {"de": "Auftrag abschließen?", "en": "Close this order?"},
    "console.repair.end_confirm.hand_over": {
        "de": "{code} · {product}: Wurde das Produkt dem Kunden übergeben? Der Auftrag ist damit abgeschlossen und "
              "verschwindet aus der Liste – das lässt sich nicht rückgängig machen.",
        "en": "{code} · {product}: has the product been handed to the customer? This closes the order and it leaves "
              "the list – this cannot be undone.",
    },
    "console.repair.end_confirm.return_unrepaired": {
        "de": "{code} · {product}: Das Produkt unrepariert zurückgeben? Der Auftrag ist damit abgeschlossen und "
              "verschwindet aus der Liste – das lässt sich nicht rückgängig machen.",
        "en": "{code} · {product}: return the product unrepaired? This closes the order and it leaves the list – "
              "this cannot be undone.",
    },
    "console.repair.end_confirm.cancel": {
        "de": "{code} · {product}: Den Auftrag streichen, weil das Produkt nie gebracht wurde? Er verschwindet aus der "
              "Liste – das lässt sich nicht rückgängig machen.",
        "en": "{code} · {product}: cancel the order because the product was never brought? It leaves the list – "
              "this cannot be undone.",
    },
    "console.repair.end_confirm.no": {"de": "Abbrechen", "en": "Cancel"},
    # Finding an open order by its pickup code (ui/repairs.py)
    "console.repair.find.code": {"de": "Abholcode", "en": "Pickup code"},
    "console.repair.find.search": {"de": "Suchen", "en": "Search"},
    "console.repair.find.none": {
        "de": "Kein Auftrag mit diesem Abholcode unter den offenen Reparaturen: {code}",
        "en": "No order with this pickup code among the open repairs: {code}",
    },
    # Taking in a repair at the counter (ui/repair_intake.py)
    "console.repair.take_in": {"de": "Reparatur annehmen", "en": "Take in a repair"},
    "console.repair.taken_in": {"de": "Reparatur {code} angenommen", "en": "Repair {code} taken in"},
    "console.repair.intake.intro": {
        "de": "Für einen Kunden an der Theke: Produkt scannen oder suchen, sagen, was kaputt ist – der Kunde bekommt "
              "den Abholcode.",
        "en": "For a customer at the counter: scan or find the product, say what is wrong – the customer gets the "
              "pickup code.",
    },
    "console.repair.intake.product": {"de": "Produkt: Barcode, Artikelnummer oder Name",
                                      "en": "Product: barcode, SKU or name"},
    "console.repair.intake.search": {"de": "Suchen", "en": "Search"},
    "console.repair.intake.as_typed": {"de": "„{typed}“ – nicht im Sortiment, so annehmen",
                                       "en": "“{typed}” – not in the catalog, take it in as typed"},
    "console.repair.intake.not_found": {
        "de": "Nicht im Sortiment gefunden – es wird so angenommen, wie es getippt ist.",
        "en": "Not found in the catalog – it is taken in as typed.",
    },
    "console.repair.intake.found": {"de": "{count} gefunden – bitte eins wählen.",
                                    "en": "{count} found – please choose one."},
    "console.repair.intake.choose": {"de": "Bitte ein Produkt aus der Liste wählen.",
                                     "en": "Please choose a product from the list."},
    "console.repair.intake.no_product": {"de": "Bitte das Produkt scannen, suchen oder beschreiben.",
                                         "en": "Please scan, find or describe the product."},
    "console.repair.intake.problem": {"de": "Was ist kaputt?", "en": "What is wrong?"},
    "console.repair.intake.problem_missing": {"de": "Bitte angeben, was kaputt ist.",
                                              "en": "Please say what is wrong."},
    "console.repair.intake.problem_long": {"de": "Bitte kürzer: höchstens {limit} Zeichen (jetzt {count}).",
                                           "en": "Please shorten it: at most {limit} characters (now {count})."},
    "console.repair.intake.days": {"de": "Fertig in (Tagen)", "en": "Ready in (days)"},
    "console.repair.intake.cost": {"de": "Kosten in €", "en": "Cost in €"},
    "console.repair.intake.cost_hint": {"de": "freiwillig, etwa 20 oder 20–45", "en": "optional, such as 20 or 20–45"},
    "console.repair.intake.cost_invalid": {"de": "Bitte als Betrag oder Spanne, etwa 20, 19,90 oder 20–45.",
                                           "en": "Give the cost as an amount or a range, such as 20, 19.90 or 20–45."},
    "console.repair.intake.days_invalid": {"de": "Bitte die Tage als Zahl angeben, 0 bis {limit}.",
                                           "en": "Please give the days as a number, 0 to {limit}."},
    "console.repair.intake.locale": {"de": "Sprache des Kunden", "en": "Customer's language"},
    "console.repair.intake.consent": {"de": "Der Kunde willigt ein", "en": "The customer agrees"},
    "console.repair.intake.consent_hint": {
        "de": "Kontakt speichern und Bescheid geben, wenn es fertig ist. Ohne Einwilligung wird kein Kontakt "
              "gespeichert.",
        "en": "Keep the contact and tell them when it is ready. Without consent no contact is kept.",
    },
    "console.repair.intake.name": {"de": "Name", "en": "Name"},
    "console.repair.intake.email": {"de": "E-Mail", "en": "E-mail"},
    "console.repair.intake.phone": {"de": "Telefon", "en": "Phone"},
    "console.repair.intake.accept": {"de": "Annehmen", "en": "Take in"},
    "console.repair.intake.close": {"de": "Schließen", "en": "Close"},
    "console.repair.intake.refused": {"de": "Nicht angenommen: {reason}", "en": "Not taken in: {reason}"},
    "console.repair.intake.done": {"de": "Reparatur angenommen", "en": "Repair taken in"},
    "console.repair.intake.code": {"de": "Abholcode für den Kunden", "en": "Pickup code for the customer"},
    "console.repair.intake.another": {"de": "Noch eine annehmen", "en": "Take in another"},
    "mail.repair.subject": {
        "de": {"du": "Deine Reparatur ist fertig – {store}", "Sie": "Ihre Reparatur ist fertig – {store}"},
        "en": "Your repair is ready – {store}",
    },
    "mail.repair.hello": {"de": "Hallo {name},", "en": "Hello {name},"},
    "mail.repair.hello_plain": {"de": "Hallo,", "en": "Hello,"},
    "mail.repair.ready": {
        "de": {"du": "{product} ist fertig und liegt in unserer Filiale {store} für dich zur Abholung bereit.",
               "Sie": "{product} ist fertig und liegt in unserer Filiale {store} für Sie zur Abholung bereit."},
        "en": "{product} is ready for you to collect at our {store} store.",
    },
    "mail.repair.page": {
        "de": {"du": "Den Stand deiner Reparatur siehst du jederzeit unter {url}.",
               "Sie": "Den Stand Ihrer Reparatur sehen Sie jederzeit unter {url}."},
        "en": "You can follow your repair at {url}.",
    },
    "mail.repair.page_link": {
        "de": {"du": "Stand deiner Reparatur ansehen", "Sie": "Stand Ihrer Reparatur ansehen"},
        "en": "See how your repair stands",
    },
    "mail.repair.bye": {
        "de": {"du": "Bis bald – dein Team von {store}", "Sie": "Bis bald – Ihr Team von {store}"},
        "en": "See you soon – the team at {store}",
    },
}  # fmt: skip


def text(key: str, locale: str, address: str = "du", **params: Any) -> str:
    """The message `key` in `locale` (German in the du or Sie form), with parameters inserted."""
    message = MESSAGES[key]
    chosen = message.get(locale) or message["en"]
    if isinstance(chosen, Mapping):
        chosen = chosen.get(address) or next(iter(chosen.values()))
    if not params:
        return chosen
    for name, value in params.items():  # a value ending a sentence with its own dot ("am Mittwoch, 09.12."): one dot
        if isinstance(value, str) and value.endswith("."):
            chosen = chosen.replace(f"{{{name}}}.", f"{{{name}}}")
    return chosen.format(**params)


def counted(key: str, count: int, locale: str, address: str = "du", **params: Any) -> str:
    """The message `key` for `count` things: its `.one` form for exactly one where it has one ("1 Produkt passt")."""
    chosen = f"{key}.one" if count == 1 and f"{key}.one" in MESSAGES else key
    return text(chosen, locale, address, count=count, **params)


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def money(amount: str, locale: str) -> str:
    """An amount of euros, already written as the locale writes numbers, with the sign where the locale puts it:
    "599,95 €", "15–30 €"; "€599.95", "€15–30"."""
    return f"€{amount}" if locale == "en" else f"{amount} €"


def euros(value: float, locale: str) -> str:
    """A price in euros, the one rule for every price a shopper reads: with both cents where it has any ("99,90 €",
    "€99.90"; never "99,9 €"), a whole amount without ("149 €")."""
    return money(amount_text(value, locale), locale)


def amount_text(value: float, locale: str) -> str:
    """An amount of euros without its sign, as `euros` writes it ("99,90", "149"): for ranges ("15,50–30 €")."""
    amount = round(float(value), 2)
    shown = number(amount, locale, 2)
    if not amount.is_integer() and shown[-2] in ".,":  # one digit after the decimal sign: 99,9 → 99,90
        shown += "0"
    return shown


def percent(value: float, locale: str, digits: int = 1) -> str:
    """A percentage (`value` out of 100) as the locale writes it, the one rule for every "%" a shopper reads:
    "66%" in English; "66 %" in German with a no-break space, as format_value joins a number and its unit, so the
    sign never wraps to a line of its own."""
    shown = number(value, locale, digits)
    return f"{shown}%" if locale == "en" else f"{shown}\u00a0%"


def day_text(day: date, locale: str, *, weekday: str | None = "long", year: bool = False) -> str:
    """A day as the locale writes it: "Freitag, 04.12." / "Friday, 4 Dec"; `weekday` "short" ("Fr 04.12.",
    "Fri 4 Dec") or None ("04.12.2026", "4 Dec 2026" with `year`)."""
    if locale == "de":
        shown = f"{day:%d.%m.%Y}" if year else f"{day:%d.%m.}"
    else:
        shown = f"{day.day} {MONTHS_EN[day.month - 1]}" + (f" {day.year}" if year else "")
    if weekday is None:
        return shown
    name = text(f"weekday.{day.weekday()}", locale)
    if weekday == "short":
        return f"{name[: 2 if locale == 'de' else 3]} {shown}"
    return f"{name}, {shown}"


def rating_question(key: str, scale: str, locale: str, address: str = "du") -> str:
    """A rating's question with how its scale reads: school grades say that 1 is best (which English readers
    would not guess)."""
    question = text(key, locale, address)
    return f"{question} {text('feedback.scale.grades', locale, address)}" if scale == "grades" else question


def unit_text(unit: str | None, locale: str, *, one: bool = False) -> str:
    """A unit as the shopper reads it: its word in the locale (the singular for exactly one: "1 Person"), else as
    the questionnaire or the catalog writes it."""
    if not unit:
        return ""
    if one and f"unit.{unit}.one" in MESSAGES:
        return text(f"unit.{unit}.one", locale)
    return text(f"unit.{unit}", locale) if f"unit.{unit}" in MESSAGES else unit


def pick(texts: Mapping[str, str], locale: str, fallback: str = "de") -> str:
    """A per-locale text from a questionnaire or the catalog, falling back to another locale."""
    return texts.get(locale) or texts.get(fallback) or next(iter(texts.values()), "")


def number(value: float, locale: str, digits: int = 1) -> str:
    """A number as the locale writes it: 1,9 in German, 1.9 in English; whole numbers without decimals."""
    whole = float(value).is_integer()
    formatted = f"{int(value):,}" if whole else f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    if locale == "de":
        formatted = formatted.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return formatted


def duration(seconds: float, locale: str) -> str:
    """A wait in words, rounded as people say it ("3 Minuten", "1 hour", "32 minutes")."""
    from datetime import timedelta

    from babel.dates import format_timedelta  # Babel's locale data loads only when a wait is said

    return str(format_timedelta(timedelta(seconds=seconds), locale=locale))

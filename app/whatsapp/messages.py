"""The WhatsApp conversation's replies, in English, isiZulu and Afrikaans.

Replies about personal safety use neutral words only: the phone may be seen
by the person the citizen is reporting. Emergency numbers (app.notify.texts)
are always shown on that path. Labels and notification texts live in
app.notify.texts, shared with the outbox.
"""

from __future__ import annotations

from app.notify.texts import pick
from app.vocab import LANGUAGES

_CHOOSE_LANGUAGE = (
    "Welcome! Sawubona! Welkom!\n"
    "Reply 1 for English\nPhendula ngo-2 ukuze uthole isiZulu\nAntwoord 3 vir Afrikaans"
)

MESSAGES: dict[str, dict[str, str]] = {
    "choose_language": {lang: _CHOOSE_LANGUAGE for lang in LANGUAGES},
    "consent_notice": {
        "en": "{municipality} uses this chat to take reports about municipal services. To do "
              "that we keep your phone number, what you report and where it is, and use them "
              "only to handle your reports and tell you how they are going, as the Protection "
              "of Personal Information Act (POPIA) requires. Privacy notice version {version}."
              "\n\nReply 1 if you agree, or 2 if you do not.",
        "zu": "I-{municipality} isebenzisa le ngxoxo ukuthola imibiko ngezinsizakalo "
              "zikamasipala. Ukuze senze lokho sigcina inombolo yakho yocingo, lokho "
              "okubikayo nendawo okukuyo, futhi sikusebenzisela kuphela ukusingatha imibiko "
              "yakho nokukwazisa ngenqubekela phambili, njengoba uMthetho Wokuvikelwa "
              "Kolwazi Lomuntu Siqu (POPIA) udinga. Inguqulo yesaziso sobumfihlo {version}."
              "\n\nPhendula ngo-1 uma uvuma, noma ngo-2 uma ungavumi.",
        "af": "{municipality} gebruik hierdie klets om verslae oor munisipale dienste te "
              "ontvang. Daarvoor hou ons jou telefoonnommer, wat jy rapporteer en waar dit "
              "is, en gebruik dit net om jou verslae te hanteer en jou op hoogte te hou, "
              "soos die Wet op die Beskerming van Persoonlike Inligting (POPIA) vereis. "
              "Privaatheidskennisgewing weergawe {version}."
              "\n\nAntwoord 1 as jy instem, of 2 as jy nie instem nie.",
    },
    "consent_declined": {
        "en": "Understood. We have not kept any of your details. Send us a message any time "
              "if you change your mind.",
        "zu": "Kuzwakele. Asigcinanga lutho lwemininingwane yakho. Sithumelele umlayezo "
              "noma nini uma ushintsha umqondo.",
        "af": "Verstaan. Ons het niks van jou besonderhede gehou nie. Stuur enige tyd vir "
              "ons 'n boodskap as jy van plan verander.",
    },
    "menu": {
        "en": "What would you like to report? Reply with a number:\n1 {water}\n2 "
              "{electricity}\n3 {roads}\n4 {waste}\n5 {sanitation}\n6 {gbv}\n7 {other}\n\n"
              "At any time you can send: status (with your reference number), help, "
              "restart or stop.",
        "zu": "Ungathanda ukubika ngani? Phendula ngenombolo:\n1 {water}\n2 {electricity}\n"
              "3 {roads}\n4 {waste}\n5 {sanitation}\n6 {gbv}\n7 {other}\n\n"
              "Noma nini ungathumela: isimo (nenombolo yakho yereferensi), usizo, "
              "qala kabusha noma yima.",
        "af": "Waaroor wil jy verslag doen? Antwoord met 'n nommer:\n1 {water}\n2 "
              "{electricity}\n3 {roads}\n4 {waste}\n5 {sanitation}\n6 {gbv}\n7 {other}\n\n"
              "Jy kan enige tyd stuur: status (met jou verwysingsnommer), hulp, "
              "begin weer of stop.",
    },
    "not_understood": {
        "en": "Sorry, I did not understand that.",
        "zu": "Uxolo, angikuqondanga lokho.",
        "af": "Jammer, ek het dit nie verstaan nie.",
    },
    "sensitive_consent": {
        "en": "This is a private, safe channel. What you tell us is kept locked and only "
              "the trained SAPS liaison officers of {municipality} will see it.\n\n{emergency}"
              "\n\nMay we pass your report to them so that they can help you? Reply 1 for "
              "yes or 2 for no.",
        "zu": "Lena yindlela eyimfihlo nephephile. Lokho osichazela kona kugcinwa "
              "kuvikelekile futhi kuzobonwa kuphela yizikhulu zokuxhumana ze-SAPS "
              "eziqeqeshiwe zase-{municipality}.\n\n{emergency}\n\nSingawudlulisela "
              "kubo umbiko wakho ukuze bakusize? Phendula ngo-1 uma uvuma noma ngo-2 "
              "uma ungavumi.",
        "af": "Dit is 'n private, veilige kanaal. Wat jy vir ons vertel, word toegesluit "
              "bewaar en net die opgeleide SAPS-skakelbeamptes van {municipality} sal dit "
              "sien.\n\n{emergency}\n\nMag ons jou verslag aan hulle deurgee sodat hulle "
              "jou kan help? Antwoord 1 vir ja of 2 vir nee.",
    },
    "sensitive_declined": {
        "en": "We respect your choice and have not kept anything. Help is there day and "
              "night: 10111 (SAPS) or 0800 428 428.",
        "zu": "Siyasihlonipha isinqumo sakho futhi asigcinanga lutho. Usizo lukhona "
              "emini nasebusuku: 10111 (SAPS) noma 0800 428 428.",
        "af": "Ons respekteer jou keuse en het niks gehou nie. Hulp is dag en nag daar: "
              "10111 (SAPS) of 0800 428 428.",
    },
    "ask_description": {
        "en": "Please describe the problem in a few words: what is wrong, and since when?",
        "zu": "Sicela uchaze inkinga ngamagama ambalwa: yini engahambi kahle, futhi "
              "kusukela nini?",
        "af": "Beskryf asseblief die probleem in 'n paar woorde: wat is fout, en sedert wanneer?",
    },
    "ask_description_sensitive": {
        "en": "Tell us what happened, in your own words. Only the people who will help you "
              "can read it.",
        "zu": "Sitshele ukuthi kwenzenjani, ngamazwi akho. Kuphela abantu abazokusiza "
              "abangakufunda.",
        "af": "Vertel ons wat gebeur het, in jou eie woorde. Net die mense wat jou gaan help, "
              "kan dit lees.",
    },
    "description_too_short": {
        "en": "Please write a little more (at least 10 letters).",
        "zu": "Sicela ubhale kancane ngaphezulu (okungenani izinhlamvu eziyi-10).",
        "af": "Skryf asseblief 'n bietjie meer (ten minste 10 letters).",
    },
    "ask_location": {
        "en": "Where is the problem? Share your location (tap the paperclip, then Location) "
              "or type the street address.",
        "zu": "Ikuphi inkinga? Thumela indawo okuyo (cindezela isiqeshana sephepha, "
              "bese uthi Indawo) noma ubhale ikheli lomgwaqo.",
        "af": "Waar is die probleem? Deel jou ligging (tik op die skuifspeld, dan Ligging) "
              "of tik die straatadres.",
    },
    "ask_location_sensitive": {
        "en": "Where can help reach you? Share a location or type an address, only if it is "
              "safe to do so. If it is not, reply SKIP.",
        "zu": "Usizo lungakuthola kuphi? Thumela indawo noma ubhale ikheli, kuphela uma "
              "kuphephile ukwenza lokho. Uma kungaphephile, phendula ngokuthi ANGIFUNI.",
        "af": "Waar kan hulp jou bereik? Deel 'n ligging of tik 'n adres, net as dit veilig "
              "is om dit te doen. As dit nie veilig is nie, antwoord OORSLAAN.",
    },
    "location_too_short": {
        "en": "Please send a location pin, or type an address with a street name.",
        "zu": "Sicela uthumele indawo, noma ubhale ikheli elinegama lomgwaqo.",
        "af": "Stuur asseblief 'n liggingspeld, of tik 'n adres met 'n straatnaam.",
    },
    "ask_photos": {
        "en": "You may send up to {max} photos now. When you are done, or if you have none, "
              "reply 1.",
        "zu": "Ungathumela izithombe ezingafika ku-{max} manje. Uma usuqedile, noma "
              "ungenazo, phendula ngo-1.",
        "af": "Jy kan nou tot {max} foto's stuur. As jy klaar is, of as jy geen het nie, "
              "antwoord 1.",
    },
    "photo_received": {
        "en": "Got it: {count} photo(s) so far. Send another, or reply 1 to continue.",
        "zu": "Sikutholile: izithombe eziyi-{count} kuze kube manje. Thumela esinye, noma "
              "uphendule ngo-1 ukuze uqhubeke.",
        "af": "Ontvang: {count} foto('s) tot dusver. Stuur nog een, of antwoord 1 om "
              "voort te gaan.",
    },
    "too_many_photos": {
        "en": "That is the most photos we can take ({max}). Reply 1 to continue.",
        "zu": "Lezi yizithombe eziningi kakhulu esingazamukela ({max}). Phendula ngo-1 "
              "ukuze uqhubeke.",
        "af": "Dit is die meeste foto's wat ons kan neem ({max}). Antwoord 1 om voort te gaan.",
    },
    "confirm": {
        "en": "Please check your report:\nType: {category}\nDescription: {description}\n"
              "Place: {place}\nPhotos: {photos}\n\nReply 1 to send it, or 2 to start again.",
        "zu": "Sicela uhlole umbiko wakho:\nUhlobo: {category}\nIncazelo: {description}\n"
              "Indawo: {place}\nIzithombe: {photos}\n\nPhendula ngo-1 ukuze uwuthumele, "
              "noma ngo-2 ukuze uqale kabusha.",
        "af": "Gaan asseblief jou verslag na:\nSoort: {category}\nBeskrywing: {description}\n"
              "Plek: {place}\nFoto's: {photos}\n\nAntwoord 1 om dit te stuur, of 2 om "
              "weer te begin.",
    },
    "confirm_sensitive": {
        "en": "Your private report is ready ({photos} photo(s)). Reply 1 to send it, or 2 "
              "to start again.",
        "zu": "Umbiko wakho oyimfihlo usulungile (izithombe eziyi-{photos}). Phendula ngo-1 "
              "ukuze uwuthumele, noma ngo-2 ukuze uqale kabusha.",
        "af": "Jou private verslag is gereed ({photos} foto('s)). Antwoord 1 om dit te "
              "stuur, of 2 om weer te begin.",
    },
    "location_pin": {
        "en": "shared location",
        "zu": "indawo oyithumele",
        "af": "gedeelde ligging",
    },
    "filed": {
        "en": "Thank you. Your report has been sent. Your reference number is "
              "{tracking_number}. Send \"status {tracking_number}\" at any time to see how "
              "it is going.",
        "zu": "Siyabonga. Umbiko wakho uthunyelwe. Inombolo yakho yereferensi ithi "
              "{tracking_number}. Thumela \"isimo {tracking_number}\" noma nini ukuze ubone "
              "ukuthi uqhuba kanjani.",
        "af": "Dankie. Jou verslag is gestuur. Jou verwysingsnommer is {tracking_number}. "
              "Stuur \"status {tracking_number}\" enige tyd om te sien hoe dit vorder.",
    },
    "filed_sensitive": {
        "en": "Thank you for trusting us. Your report has been received and will be handled "
              "privately. Reference: {tracking_number}. We will not message you first; send "
              "\"status {tracking_number}\" when it is safe.\n\n{emergency}",
        "zu": "Siyabonga ngokusethemba. Umbiko wakho utholakele futhi uzosingathwa "
              "ngasese. Inombolo yereferensi: {tracking_number}. Ngeke sikuthumelele "
              "umlayezo kuqala; thumela \"isimo {tracking_number}\" uma kuphephile.\n\n"
              "{emergency}",
        "af": "Dankie dat jy ons vertrou. Jou verslag is ontvang en sal privaat hanteer "
              "word. Verwysing: {tracking_number}. Ons sal jou nie eerste 'n boodskap stuur "
              "nie; stuur \"status {tracking_number}\" wanneer dit veilig is.\n\n{emergency}",
    },
    "duplicate_offer": {
        "en": "This looks like report {tracking_number}, already open nearby. Reply 1 to "
              "follow it instead (you will get its updates), or 2 to file a new one.",
        "zu": "Lokhu kubukeka kufana nombiko {tracking_number}, osuvuliwe eduze. Phendula "
              "ngo-1 ukuze uwulandele esikhundleni salokho (uzothola izibuyekezo zawo), noma "
              "ngo-2 ukuze ufake omusha.",
        "af": "Dit lyk soos verslag {tracking_number}, wat reeds naby oop is. Antwoord 1 om "
              "dit eerder te volg (jy kry sy nuus), of 2 om 'n nuwe een in te dien.",
    },
    "following": {
        "en": "You are now following report {tracking_number}. We will tell you when its "
              "status changes.",
        "zu": "Manje usulandela umbiko {tracking_number}. Sizokwazisa uma isimo sawo "
              "sishintsha.",
        "af": "Jy volg nou verslag {tracking_number}. Ons laat weet jou wanneer sy status "
              "verander.",
    },
    "filing_failed": {
        "en": "Sorry, something went wrong on our side and your report was not sent yet. "
              "Reply 1 to try again.",
        "zu": "Uxolo, kukhona okungahambanga kahle ngakithi futhi umbiko wakho awukathunyelwa. "
              "Phendula ngo-1 ukuze uzame futhi.",
        "af": "Jammer, iets het aan ons kant verkeerd geloop en jou verslag is nog nie "
              "gestuur nie. Antwoord 1 om weer te probeer.",
    },
    "status_reply": {
        "en": "Report {tracking_number}: {status}.",
        "zu": "Umbiko {tracking_number}: {status}.",
        "af": "Verslag {tracking_number}: {status}.",
    },
    "status_not_found": {
        "en": "I could not find a report with that number from this phone. Please check the "
              "number and try again.",
        "zu": "Angiwutholanga umbiko onaleyo nombolo ovela kulolu cingo. Sicela uhlole "
              "inombolo bese uzama futhi.",
        "af": "Ek kon nie 'n verslag met daardie nommer van hierdie foon af vind nie. Gaan "
              "asseblief die nommer na en probeer weer.",
    },
    "status_usage": {
        "en": "Send \"status\" followed by your reference number, for example: "
              "status DEMO-2026-000123",
        "zu": "Thumela \"isimo\" bese ulandelisa ngenombolo yakho yereferensi, isibonelo: "
              "isimo DEMO-2026-000123",
        "af": "Stuur \"status\" gevolg deur jou verwysingsnommer, byvoorbeeld: "
              "status DEMO-2026-000123",
    },
    "help": {
        "en": "This chat takes reports for {municipality}. Send:\n- status and your "
              "reference number, to see progress\n- restart, to begin a new report\n- stop, "
              "to get no more messages\n\n{emergency}",
        "zu": "Le ngxoxo yamukela imibiko ye-{municipality}. Thumela:\n- isimo nenombolo "
              "yakho yereferensi, ukuze ubone inqubekela phambili\n- qala kabusha, ukuze "
              "uqale umbiko omusha\n- yima, ukuze ungabe usathola imilayezo\n\n{emergency}",
        "af": "Hierdie klets neem verslae vir {municipality}. Stuur:\n- status en jou "
              "verwysingsnommer, om die vordering te sien\n- begin weer, om 'n nuwe verslag "
              "te begin\n- stop, om geen boodskappe meer te kry nie\n\n{emergency}",
    },
    "restarted": {
        "en": "Let us start again.",
        "zu": "Ake siqale kabusha.",
        "af": "Kom ons begin weer.",
    },
    "expired": {
        "en": "Your unfinished report was cleared because there was no reply for a while. "
              "Let us start again.",
        "zu": "Umbiko wakho obungakaqedwa usususiwe ngoba kade kungekho mpendulo. Ake "
              "siqale kabusha.",
        "af": "Jou onvoltooide verslag is uitgevee omdat daar 'n ruk lank geen antwoord was "
              "nie. Kom ons begin weer.",
    },
    "stopped": {
        "en": "You will get no more messages from us. Send \"start\" if you want to use this "
              "service again.",
        "zu": "Ngeke usathola imilayezo evela kithi. Thumela \"qala\" uma ufuna ukuphinda "
              "usebenzise le nsizakalo.",
        "af": "Jy sal geen boodskappe meer van ons kry nie. Stuur \"begin\" as jy hierdie "
              "diens weer wil gebruik.",
    },
}


def text(key: str, language: str | None, **values: object) -> str:
    """The reply `key` in `language` (English when unknown), with values filled in."""
    return pick(MESSAGES[key], language, **values)


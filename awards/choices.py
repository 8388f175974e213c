"""Fixed vocabularies of the domain: ranks, kinds of unit, of recipient, of decision."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rank(models.IntegerChoices):
    """Military ranks; the value is the rank's order, higher value is higher rank.

    Professional soldiers (QNCN) sit just below the officer rank of the same name, and
    navy admirals share the value of the general rank they equal, plus one.
    """

    BINH_NHI = 10, _("Private 2nd class")
    BINH_NHAT = 11, _("Private 1st class")
    HA_SI = 12, _("Corporal")
    TRUNG_SI = 13, _("Sergeant")
    THUONG_SI = 14, _("Senior sergeant")
    THIEU_UY_QNCN = 20, _("Second lieutenant (professional)")
    THIEU_UY = 21, _("Second lieutenant")
    TRUNG_UY_QNCN = 22, _("First lieutenant (professional)")
    TRUNG_UY = 23, _("First lieutenant")
    THUONG_UY_QNCN = 24, _("Senior lieutenant (professional)")
    THUONG_UY = 25, _("Senior lieutenant")
    DAI_UY_QNCN = 26, _("Captain (professional)")
    DAI_UY = 27, _("Captain")
    THIEU_TA_QNCN = 30, _("Major (professional)")
    THIEU_TA = 31, _("Major")
    TRUNG_TA_QNCN = 32, _("Lieutenant colonel (professional)")
    TRUNG_TA = 33, _("Lieutenant colonel")
    THUONG_TA_QNCN = 34, _("Senior colonel (professional)")
    THUONG_TA = 35, _("Senior colonel")
    DAI_TA = 37, _("Colonel")
    THIEU_TUONG = 40, _("Major general")
    CHUAN_DO_DOC = 41, _("Rear admiral")
    TRUNG_TUONG = 42, _("Lieutenant general")
    PHO_DO_DOC = 43, _("Vice admiral")
    THUONG_TUONG = 44, _("Colonel general")
    DO_DOC = 45, _("Admiral")
    DAI_TUONG = 46, _("General")


class UnitKind(models.TextChoices):
    UNIT = "unit", _("Unit")
    PARTY = "party", _("Party organisation")
    YOUTH_UNION = "youth", _("Youth Union")
    TRADE_UNION = "trade_union", _("Trade Union")
    WOMEN_UNION = "women", _("Women's Union")
    OTHER = "other", _("Other body")


class RecipientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class TitleFor(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuals")
    COLLECTIVE = "collective", _("Collectives")
    BOTH = "both", _("Individuals and collectives")


class TitleCategory(models.TextChoices):
    EMULATION_TITLE = "title", _("Emulation title")
    COMMENDATION = "commendation", _("Form of commendation")


class AuthorityLevel(models.IntegerChoices):
    """How high a granting authority stands; used to rank honours of the same form."""

    STATE = 60, _("State (President)")
    GOVERNMENT = 50, _("Government (Prime Minister)")
    MINISTRY = 40, _("Ministry")
    GENERAL_DEPARTMENT = 30, _("General department / military region")
    DEPARTMENT = 20, _("Department / division")
    GRASSROOTS = 10, _("Grassroots unit")


class AuthorityKind(models.TextChoices):
    COMMAND = "command", _("Command / state office")
    PARTY = "party", _("Party committee")
    MASS = "mass", _("Mass organisation")


class DecisionKind(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    CAMPAIGN = "campaign", _("Campaign / thematic")
    SUDDEN = "sudden", _("Sudden deed")
    CAREER = "career", _("Career contribution")
    SERVICE = "service", _("Length of service")
    FOREIGN = "foreign", _("Foreign")


class SigningPrefix(models.TextChoices):
    NONE = "", _("(signs in own name)")
    KT = "KT.", "KT."
    TM = "TM.", "TM."
    Q = "Q.", "Q."
    TL = "TL.", "TL."
    TUQ = "TUQ.", "TUQ."


# How a Party body writes the same prefixes (Hướng dẫn 36-HD/VPTW).
PARTY_PREFIXES = {"TM.": "T/M", "KT.": "K/T", "TL.": "T/L", "Q.": "Q."}


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    REVOKED = "revoked", _("Revoked")


class PaperSize(models.TextChoices):
    A4 = "A4", _("A4 landscape")
    A3 = "A3", _("A3 landscape")
    SPECIMEN_400 = "400x300", _("400 × 300 mm (a ministry's Bằng khen)")
    SPECIMEN_450 = "450x350", _("450 × 350 mm (the Prime Minister's Bằng khen)")
    CUSTOM = "custom", _("Custom size")


# Width and height in millimetres, landscape, of every named paper size.
PAPER_MM = {"A4": (297, 210), "A3": (420, 297), "400x300": (400, 300), "450x350": (450, 350)}


class PrintMode(models.TextChoices):
    """How certificates are printed: the whole drawing, or the variable text onto a blank."""

    FULL = "full", _("Full drawing on plain paper")
    BLANK = "blank", _("Onto pre-printed blanks (phôi)")


class BlankField(models.TextChoices):
    """The variable fields a layout places on a pre-printed blank, in reading order."""

    HEADING = "heading", _("Authority heading")
    TITLE = "title", _("Title or form")
    RECIPIENT = "recipient", _("Recipient")
    DETAIL = "detail", _("Position and unit")
    ACHIEVEMENT = "achievement", _("Achievement")
    DECISION = "decision", _("Decision line")
    REGISTER = "register", _("Register line")
    PLACE_DATE = "place_date", _("Place and date")
    SIGNER_OFFICE = "signer_office", _("Signer's office (with prefix)")
    SIGNER_NAME = "signer_name", _("Signer's rank and name")
    QR = "qr", _("QR code")


class FontStyle(models.TextChoices):
    REGULAR = "regular", _("Regular")
    BOLD = "bold", _("Bold")
    ITALIC = "italic", _("Italic")


class Align(models.TextChoices):
    LEFT = "left", _("Left")
    CENTRE = "centre", _("Centre")
    RIGHT = "right", _("Right")


class InkColour(models.TextChoices):
    BLACK = "black", _("Black")
    RED = "red", _("Red")


class HandsOver(models.TextChoices):
    """What a title hands over to its recipient (DOMAIN.md, "Emulation titles")."""

    CERTIFICATE = "certificate", _("A certificate (printed here if the authority keeps its book here)")
    NOTHING = "nothing", _("Nothing: the decision is the recognition")
    FLAG = "flag", _("A flag: its inscription is printed for the maker")


# Titles whose decision is the recognition, and flags, as DOMAIN.md names them (compared folded).
NO_CERTIFICATE_TITLES = ("chien si tien tien", "lao dong tien tien", "don vi tien tien", "tap the lao dong tien tien")
FLAG_TITLES = ("co thi dua",)


def default_hands_over(name):
    """What a title of this name hands over, as the law has it; administrators may change it."""
    from .text import fold

    folded = fold(name)
    if folded.startswith(FLAG_TITLES):
        return HandsOver.FLAG
    if folded in NO_CERTIFICATE_TITLES:
        return HandsOver.NOTHING
    return HandsOver.CERTIFICATE


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Corrected")
    REVOKE = "revoke", _("Revoked")
    DELETE = "delete", _("Deleted")


class PrintKind(models.TextChoices):
    SINGLE = "single", _("One certificate")
    DECISION = "decision", _("A decision's certificates")
    CEREMONY = "ceremony", _("A ceremony's certificates")


class CorrectionKind(models.TextChoices):
    NAME = "name", _("Misspelt name")
    RANK = "rank", _("Wrong rank")
    POSITION = "position", _("Wrong position or unit")
    TITLE = "title", _("Wrong title or form")
    MISSING = "missing", _("An honour is missing")
    OTHER = "other", _("Something else")


class CorrectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("correction request", "Open")
    RESOLVED = "resolved", pgettext_lazy("correction request", "Corrected")
    REJECTED = "rejected", pgettext_lazy("correction request", "Not changed")


class RuleKind(models.TextChoices):
    SAME_YEAR = "same_year", _("Requires another title in the same year")
    CONSECUTIVE = "consecutive", _("Requires another title in N consecutive years")
    WITHIN = "within", _("Requires another title at any time in the last N years")
    AFTER = "after", _("After holding a title, the N following consecutive years of a rating or title")
    RATING = "rating", _("Requires an annual rating in N consecutive years")
    INITIATIVE = "initiative", _("Requires recognised initiatives in the last N years")
    CLEAN = "clean", _("Not disciplined in the last N years")
    FIRST_TIME = "first_time", _("Not granted this honour before")
    SERVICE = "service", _("Requires N years of service")
    SOLDIER = "soldier", _("Only for soldiers (with a rank)")
    CIVILIAN = "civilian", _("Only for civilian employees (no rank)")
    MEMBERS_SHARE = "members_share", _("At least X% of the unit's members with a title or rating")
    MEMBERS_COUNT = "members_count", _("At least N of the unit's members with a title")
    MEMBERS_CLEAN = "members_clean", _("No member of the unit disciplined in the year")
    QUOTA = "quota", _("At most X% of another title, per unit and year")


class RuleRecipients(models.TextChoices):
    ANY = "", _("Anyone the honour is for")
    INDIVIDUAL = "individual", _("Individuals")
    SOLDIER = "soldier", _("Soldiers (with a rank)")
    CIVILIAN = "civilian", _("Civilian employees (no rank)")
    COLLECTIVE = "collective", _("Collectives")


class QuotaBase(models.TextChoices):
    TITLES = "titles", _("The required titles held in the unit that year")
    HEADCOUNT = "headcount", _("The unit's headcount")


class TaskRating(models.IntegerChoices):
    """The annual rating of how far duties were completed (xếp loại mức độ hoàn thành nhiệm vụ)."""

    NOT_COMPLETED = 1, _("Did not complete duties")
    COMPLETED = 2, _("Completed duties")
    GOOD = 3, _("Completed duties well")
    EXCELLENT = 4, _("Completed duties excellently")


class RecognitionLevel(models.IntegerChoices):
    """Who recognised an initiative or research result, and so how far its effect reaches."""

    GRASSROOTS = 1, pgettext_lazy("recognition level", "Grassroots")
    MINISTRY = 2, pgettext_lazy("recognition level", "Ministry / whole army")
    NATIONAL = 3, pgettext_lazy("recognition level", "National")


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    RESEARCH = "research", _("Research result")


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DEMOTION = "demotion", _("Demotion in position")
    DISMISSAL = "dismissal", _("Dismissal from position")
    RANK_DEMOTION = "rank_demotion", _("Reduction in rank")
    STRIPPED = "stripped", _("Stripping of the soldier's title")
    OTHER = "other", _("Other")


class DossierState(models.TextChoices):
    """Where a dossier (hồ sơ đề nghị) stands on its way to the granting authority."""

    DRAFT = "draft", pgettext_lazy("dossier", "Draft")
    SENT = "sent", pgettext_lazy("dossier", "Sent")
    RECEIVED = "received", pgettext_lazy("dossier", "Received")
    RETURNED = "returned", pgettext_lazy("dossier", "Returned for correction")
    SETTLED = "settled", pgettext_lazy("dossier", "Settled")


class NomineeState(models.TextChoices):
    """Where one nominee of a dossier stands."""

    PROPOSED = "proposed", pgettext_lazy("nominee", "Proposed")
    APPROVED = "approved", pgettext_lazy("nominee", "Approved")
    LOWERED = "lowered", pgettext_lazy("nominee", "Approved at a lower honour")
    REJECTED = "rejected", pgettext_lazy("nominee", "Not approved")
    FORWARDED = "forwarded", pgettext_lazy("nominee", "Forwarded to the higher authority")
    DECIDED = "decided", pgettext_lazy("nominee", "Decided")


class DossierAction(models.TextChoices):
    """The moves of a dossier and of its nominees, as the history names them."""

    CREATE = "create", pgettext_lazy("dossier action", "Created")
    SEND = "send", pgettext_lazy("dossier action", "Sent")
    RECEIVE = "receive", pgettext_lazy("dossier action", "Received")
    RETURN = "return", pgettext_lazy("dossier action", "Returned")
    APPROVE = "approve", pgettext_lazy("dossier action", "Approved")
    LOWER = "lower", pgettext_lazy("dossier action", "Approved at a lower honour")
    REJECT = "reject", pgettext_lazy("dossier action", "Not approved")
    RECONSIDER = "reconsider", pgettext_lazy("dossier action", "Review reopened")
    FORWARD = "forward", pgettext_lazy("dossier action", "Forwarded")
    DECIDE = "decide", pgettext_lazy("dossier action", "Decided")
    SETTLE = "settle", pgettext_lazy("dossier action", "Settled")
    ADD = "add", pgettext_lazy("dossier action", "Nominee added")
    CHANGE = "change", pgettext_lazy("dossier action", "Nominee changed")
    REMOVE = "remove", pgettext_lazy("dossier action", "Nominee removed")
    ATTACH = "attach", pgettext_lazy("dossier action", "Attachment added")
    DETACH = "detach", pgettext_lazy("dossier action", "Attachment removed")
    EDIT = "edit", pgettext_lazy("dossier action", "Details changed")


class AttachmentKind(models.TextChoices):
    """The documents of a dossier; an achievement report belongs to one nominee."""

    SUBMISSION = "submission", _("Covering submission (tờ trình)")
    MINUTES = "minutes", _("Council minutes (biên bản họp hội đồng)")
    REPORT = "report", _("Achievement report (báo cáo thành tích)")
    OTHER = "other", _("Other document")


PER_NOMINEE_ATTACHMENTS = {AttachmentKind.REPORT}


def default_required_attachments(name, rank_order):
    """What a dossier proposing this honour carries, as offices usually ask: every dossier its
    covering submission and the council's minutes; an achievement report for each nominee from
    Chiến sĩ thi đua cơ sở and Bằng khen up, not for the length-of-service medals. Data after
    that: administrators edit it per title."""
    from .text import fold

    kinds = [AttachmentKind.SUBMISSION.value, AttachmentKind.MINUTES.value]
    if rank_order >= 40 and not fold(name).startswith(("huy chuong chien si ve vang", "huy chuong quan ky")):
        kinds.append(AttachmentKind.REPORT.value)
    return kinds


def default_vote_threshold(name):
    """The council's share of agreeing members a title needs, as seeded: 90% for the army-wide and
    national emulation fighters (Decree 91/2017 Art. 45.8, kept since), 70% for the rest (as many
    regulations set it). Data after that: administrators edit it per title."""
    from .text import fold

    return 90 if fold(name) in ("chien si thi dua toan quan", "chien si thi dua toan quoc") else 70


class JobKind(models.TextChoices):
    EXPORT_CSV = "export_csv", _("Export of the honours register (CSV)")
    EXPORT_XLSX = "export_xlsx", _("Export of the honours register (Excel)")
    IMPORT_RECIPIENTS = "import_recipients", _("Import of a decision's recipients")
    IMPORT_ROSTER = "import_roster", _("Import of the roster")
    PRINT = "print", _("Printing of certificates")
    CHECK_LEDGER = "check_ledger", _("Check of a ledger of past honours")
    IMPORT_LEDGER = "import_ledger", _("Import of a ledger of past honours")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Not done")
    EXPIRED = "expired", _("File removed")


class AliasKind(models.TextChoices):
    AUTHORITY = "authority", _("Authority")
    TITLE = "title", _("Title or form")

"""The codex of trust: versions of its text, the append-only signature log, mirror questions."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.versioned_cache import VersionBumpingQuerySet

from . import fingerprint as fp
from .errors import CodexError


class SignerRole(models.TextChoices):
    """The roles a version can require to sign."""

    POLITICIAN = "politician", _("Politicians")
    LEADER = "leader", _("Workplace leaders")
    OFFICIAL = "official", _("Officials (secretariat)")
    TRIO = "trio", _("Trio members and employees")


DEFAULT_ROLES_TO_SIGN = [SignerRole.POLITICIAN.value, SignerRole.LEADER.value]


def default_roles_to_sign() -> list[str]:
    return list(DEFAULT_ROLES_TO_SIGN)


def roles_of(user) -> set[str]:
    """The signer roles a person holds today."""
    if not user.is_authenticated:
        return set()
    roles = user.roles
    held = set()
    if roles.is_politician:
        held.add(SignerRole.POLITICIAN.value)
    if roles.is_leader:
        held.add(SignerRole.LEADER.value)
    if roles.is_administrator:
        held.add(SignerRole.OFFICIAL.value)
    if roles.is_trio:
        held.add(SignerRole.TRIO.value)
    return held


PUBLISHED_NEVER_CHANGES = _("A published version never changes; write a new version instead.")


def refuse_if_any_published(version_ids, *, using: str = "default") -> None:
    """Refuse a write that touches any of these versions once one of them is published.

    The versions are locked until the caller's transaction ends, so a version cannot be published between this
    check and the write (publishing locks the same row before it fingerprints the text)."""
    ids = sorted({pk for pk in version_ids if pk is not None})
    if not ids:
        return
    statuses = (
        CodexVersion.objects.using(using)
        .select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("status", flat=True)
    )
    if CodexVersion.Status.PUBLISHED in list(statuses):
        raise CodexError(PUBLISHED_NEVER_CHANGES)


class CodexVersionQuerySet(VersionBumpingQuerySet):
    # Bulk writes refuse published versions as the rows do: nothing of a published version changes, by any path.
    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            refuse_if_any_published(self.values_list("pk", flat=True), using=self.db)
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            refuse_if_any_published(self.values_list("pk", flat=True), using=self.db)
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def published(self):
        return self.filter(status=CodexVersion.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=CodexVersion.Status.DRAFT)

    def in_force(self, on: dt.date | None = None):
        """Published versions whose publication date has come, newest first."""
        return self.published().filter(published_on__lte=on or timezone.localdate()).order_by("-number")

    def with_text(self):
        return self.prefetch_related("sections__principles", "values")


class CodexVersion(models.Model):
    """One version of the codex. A draft can change; a published version never does."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class ChangeKind(models.TextChoices):
        MATERIAL = "material", _("Material change: everyone signs again")
        EDITORIAL = "editorial", _("Editorial change: wording only, signatures carry over")

    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown: *emphasis*, lists, links."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    change_kind = models.CharField(
        _("kind of change"), max_length=20, choices=ChangeKind.choices, default=ChangeKind.MATERIAL
    )
    roles_to_sign = models.JSONField(_("roles that must sign"), default=default_roles_to_sign, blank=True)
    fingerprint = models.CharField(_("text fingerprint (SHA-256)"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CodexVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("codex version")
        verbose_name_plural = _("codex versions")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(published_on__isnull=False) & ~Q(fingerprint="")),
                name="codex_published_has_date_and_fingerprint",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="codex_number_positive"),
        ]

    def __str__(self):
        return _("Version %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            if self.pk:
                refuse_if_any_published([self.pk], using=using)
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("codex:version-detail", args=[self.number])

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            if self.is_published:
                raise CodexError(_("A published version cannot be deleted."))
            refuse_if_any_published([self.pk], using=using)
            return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self):
        unknown = set(self.roles_to_sign or []) - set(SignerRole.values)
        if unknown:
            raise ValidationError({"roles_to_sign": _("Unknown roles: %(roles)s") % {"roles": ", ".join(unknown)}})

    def roles_to_sign_labels(self) -> list[str]:
        return [str(label) for value, label in SignerRole.choices if value in (self.roles_to_sign or [])]

    def text(self) -> fp.CodexText:
        """The words of this version as plain data (uses prefetched sections when present)."""
        return fp.CodexText(
            number=self.number,
            title=self.title,
            introduction=self.introduction,
            sections=tuple(
                fp.Section(
                    title=section.title,
                    principles=tuple(fp.Principle(p.heading, p.text) for p in section.principles.all()),
                )
                for section in self.sections.all()
            ),
            values=tuple(value.name for value in self.values.all()),
        )

    def compute_fingerprint(self) -> str:
        return fp.text_fingerprint(self.text())


class _PartQuerySet(models.QuerySet):
    """Bulk writes to sections, principles and values refuse anything under a published version, as the rows do."""

    def _version_ids(self) -> set:
        return set(self.values_list(self.model.VERSION_PATH, flat=True))

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            ids = self._version_ids() | self.model.target_version_ids(kwargs)
            refuse_if_any_published(ids, using=self.db)
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            refuse_if_any_published(self._version_ids(), using=self.db)
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            refuse_if_any_published(self.model.version_ids_of(objs), using=self.db)
            return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            stored = self.model._default_manager.filter(pk__in=[obj.pk for obj in objs])._version_ids()
            refuse_if_any_published(stored | self.model.version_ids_of(objs), using=self.db)
            return super().bulk_update(objs, fields, *args, **kwargs)


class _PartOfVersion(models.Model):
    """Sections, principles and values freeze with their version: a row under a published version is never
    saved, deleted, or moved out of it, and nothing is added to or moved into a published version."""

    VERSION_PATH = "version"  # how a row reaches its version in a query

    objects = _PartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            refuse_if_any_published(self.touched_version_ids(), using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            refuse_if_any_published(self.touched_version_ids(), using=using)
            return super().delete(*args, **kwargs)

    @classmethod
    def version_ids_of(cls, rows) -> set:
        """The versions these rows belong to as they stand in memory."""
        raise NotImplementedError

    @classmethod
    def target_version_ids(cls, changes: dict) -> set:
        """The versions a bulk update would move rows into."""
        raise NotImplementedError

    def touched_version_ids(self) -> set:
        """The version the row is in now (in the database) and the one it would be in after saving."""
        ids = type(self).version_ids_of([self])
        if self.pk is not None:
            ids |= type(self)._default_manager.filter(pk=self.pk)._version_ids()
        return ids

    def refusal(self) -> str:
        """Why this row cannot be saved as it stands, or "" (forms show it beside the fields, keeping the edits)."""
        ids = [pk for pk in self.touched_version_ids() if pk is not None]
        if ids and CodexVersion.objects.filter(pk__in=ids).published().exists():
            return str(PUBLISHED_NEVER_CHANGES)
        return ""


def _pk_of(value):
    return getattr(value, "pk", value)


class _DirectPart(_PartOfVersion):
    """A section or a value: it points at its version."""

    class Meta:
        abstract = True

    @classmethod
    def version_ids_of(cls, rows) -> set:
        return {row.version_id for row in rows}

    @classmethod
    def target_version_ids(cls, changes: dict) -> set:
        return {_pk_of(changes[key]) for key in ("version", "version_id") if key in changes}


class CodexSection(_DirectPart):
    version = models.ForeignKey(CodexVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class CodexPrinciple(_PartOfVersion):
    VERSION_PATH = "section__version"

    section = models.ForeignKey(CodexSection, on_delete=models.CASCADE, related_name="principles")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Markdown: *emphasis*, lists, links."))

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.heading

    @classmethod
    def version_ids_of(cls, rows) -> set:
        sections = {row.section_id for row in rows}
        return set(CodexSection._default_manager.filter(pk__in=sections).values_list("version_id", flat=True))

    @classmethod
    def target_version_ids(cls, changes: dict) -> set:
        sections = {_pk_of(changes[key]) for key in ("section", "section_id") if key in changes}
        return set(CodexSection._default_manager.filter(pk__in=sections).values_list("version_id", flat=True))


class CodexValue(_DirectPart):
    version = models.ForeignKey(CodexVersion, on_delete=models.CASCADE, related_name="values")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("value"), max_length=100)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


def name_digest(name: str) -> str:
    """SHA-256 of a typed name (empty for a withdrawal, which has none)."""
    return fp.sha256_hex(name.encode("utf-8")) if name else ""


class SignatureEventQuerySet(VersionBumpingQuerySet):
    def delete(self):
        raise CodexError(_("The signature log is append-only."))

    delete.alters_data = True
    delete.queryset_only = True

    def update(self, **kwargs):
        raise CodexError(_("The signature log is append-only."))

    update.alters_data = True

    def pseudonymise(self, pseudonym: str) -> int:
        """The one change an entry ever gets: when a person's data is erased (GDPR) the typed name gives way to a
        pseudonym. The chain covers the name's digest, not the name, so it still verifies. See
        dialog_portal/privacy.py."""
        return super().update(typed_name=pseudonym)

    def signatures(self):
        return self.filter(kind=SignatureEvent.Kind.SIGN)

    def active(self):
        """Signatures not withdrawn."""
        return self.signatures().filter(withdrawal__isnull=True)

    def in_log_order(self):
        return self.order_by("pk")


class SignatureEvent(models.Model):
    """One entry in the append-only, hash-chained signature log: a signature or a withdrawal.

    Nothing is ever updated or deleted; a withdrawal is a new entry pointing at the signature.
    """

    class Kind(models.TextChoices):
        SIGN = "sign", _("Signature")
        WITHDRAW = "withdraw", _("Withdrawal")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="codex_events", verbose_name=_("person")
    )
    version = models.ForeignKey(
        CodexVersion, on_delete=models.PROTECT, related_name="signature_events", verbose_name=_("version")
    )
    withdraws = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="withdrawal", verbose_name=_("withdraws")
    )
    typed_name = models.CharField(_("typed name"), max_length=200, blank=True)
    # The chain covers the name's digest, not the name, so erasing a person (GDPR) can put a pseudonym in
    # typed_name without breaking the chain; whoever knows the name can still check it against the digest.
    typed_name_digest = models.CharField(_("digest of the typed name"), max_length=64, blank=True)
    text_fingerprint = models.CharField(_("text fingerprint"), max_length=64)
    previous_hash = models.CharField(_("previous entry hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)
    # Which key the hash was made with (chain.key_id): old entries keep verifying after the key is rotated.
    key_id = models.CharField(_("key id"), max_length=16)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = SignatureEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature log entry")
        verbose_name_plural = _("signature log")
        ordering = ["pk"]
        constraints = [
            # The chain cannot fork: each entry follows exactly one other.
            models.UniqueConstraint(fields=["previous_hash"], name="codex_chain_no_fork"),
            models.CheckConstraint(
                condition=(Q(kind="sign") & Q(withdraws__isnull=True))
                | (Q(kind="withdraw") & Q(withdraws__isnull=False)),
                name="codex_withdrawal_points_at_signature",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} – {self.person} – v{self.version.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise CodexError(_("The signature log is append-only."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("codex:signature-verify", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise CodexError(_("The signature log is append-only."))

    def name_is_intact(self, *, erased: bool = False) -> bool:
        """The name shown is the one that was signed; after an erasure a pseudonym stands in for it."""
        return erased or self.typed_name_digest == name_digest(self.typed_name)

    def chain_fields(self) -> dict:
        """What the entry hash covers (everything but the hashes themselves)."""
        created = self.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return {
            "kind": self.kind,
            "person": self.person_id,
            "version": self.version_id,
            "withdraws": self.withdraws_id,
            "typed_name_sha256": self.typed_name_digest,
            "text_fingerprint": self.text_fingerprint,
            "created_at": created,
        }


class MirrorQuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


MAX_ACTIVE_MIRROR_QUESTIONS = 3


class MirrorQuestion(models.Model):
    """A statement of the codex the participants of meetings and visits answer on a 1–5 scale."""

    version = models.ForeignKey(
        CodexVersion, on_delete=models.PROTECT, related_name="mirror_questions", verbose_name=_("from version")
    )
    text = models.CharField(_("statement"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = MirrorQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mirror question")
        verbose_name_plural = _("mirror questions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        if self.active and MirrorQuestion.objects.active().exclude(pk=self.pk).count() >= MAX_ACTIVE_MIRROR_QUESTIONS:
            raise ValidationError(
                _("At most %(max)d mirror questions can be active at once.") % {"max": MAX_ACTIVE_MIRROR_QUESTIONS}
            )


class OccasionKind(models.TextChoices):
    MEETING = "meeting", _("Dialogue meeting")
    VISIT = "visit", _("Workplace visit")


class MirrorAnswer(models.Model):
    """One anonymous score. Deliberately no person, no occasion, no timestamp, and a random key:
    nothing here can be joined to an AnswerReceipt or ordered against one. Only the quarter
    of the occasion is kept, because the codex page shows answers per quarter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(MirrorQuestion, on_delete=models.PROTECT, related_name="answers")
    committee = models.ForeignKey(
        "meetings.Committee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occasion_kind = models.CharField(_("occasion"), max_length=20, choices=OccasionKind.choices)
    quarter = models.DateField(_("quarter (first day)"))
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = _("mirror answer")
        verbose_name_plural = _("mirror answers")
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="mirror_score_1_5")]

    def __str__(self):
        return f"{self.question_id}: {self.score}"


class AnswerReceipt(models.Model):
    """That a person has answered for one occasion, so nobody answers twice. Holds no score,
    no question, no committee and no time: it cannot be joined to the answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    occasion_key = models.CharField(_("occasion key"), max_length=100)

    class Meta:
        verbose_name = _("answer receipt")
        verbose_name_plural = _("answer receipts")
        constraints = [
            models.UniqueConstraint(fields=["person", "occasion_key"], name="mirror_one_answer_per_occasion")
        ]

    def __str__(self):
        return f"{self.person_id} @ {self.occasion_key}"


class SignReminder(models.Model):
    """That a person was reminded to sign a version; the weekly job never reminds twice within a week."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(CodexVersion, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("signing reminder")
        verbose_name_plural = _("signing reminders")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["person", "version", "sent_at"])]

    def __str__(self):
        return f"{self.person_id} v{self.version_id} {self.sent_at:%Y-%m-%d}"


class SignatureLogHead(models.Model):
    """The end of the signature log: the last entry's hash and how many entries there are.

    Appends lock this single row, so the chain grows one entry at a time. Someone who cuts entries off the end
    can fix this row too; the anchor file outside the database (core/chains.py) catches that."""

    entry_hash = models.CharField(max_length=64)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("signature log head")
        verbose_name_plural = _("signature log head")

    def __str__(self):
        return f"{self.entries}: {self.entry_hash[:12]}"


# The positive list's models live in their own module; importing them here declares them in the codex app.
from .challenges.models import Challenge, ChallengeEvent, ChallengeJoiner  # noqa: E402, F401
from .positive_list.models import PolicyItem, PolicyItemEvent, PolicyReview  # noqa: E402, F401

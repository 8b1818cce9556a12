"""Every change of the register: audited (subject "doctor:<id>") and written to the
`RegisterChange` outbox in the same transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ordre.audit.services import acquire_chain_lock, record_event
from tableau.enums import STATUS_TRANSITIONS, DoctorStatus, RegisterChangeKind
from tableau.models import Doctor, DoctorStatusChange, PracticePlace, Qualification, RegisterChange
from tableau.nomenclature import is_practice_mode, is_specialty
from tableau.normalise import normalise
from tableau.validators import clean_finess, clean_siret


class RegisterError(Exception):
    """A rule of the register refused the change (message in French)."""


IDENTITY_FIELDS = (
    "birth_name",
    "used_name",
    "first_names",
    "sex",
    "birth_date",
    "birth_place",
    "birth_country",
    "nationality",
    "public_last_name",
    "public_first_name",
)
PUBLIC_IDENTITY_FIELDS = ("public_last_name", "public_first_name")
CONTACT_FIELDS = ("email", "phone")


def public_payload(doctor: Doctor) -> dict:
    """The public fields of a doctor, as shipped to the councils and the directory."""
    return {
        "rpps": doctor.rpps,
        "last_name": doctor.public_last_name,
        "first_name": doctor.public_first_name,
        "council": doctor.council_id,
        "status": doctor.status,
        "status_since": doctor.status_since.isoformat(),
        "qualifications": sorted(q.code for q in doctor.qualifications.all() if q.ended_on is None),
        "places": [
            {
                "mode": p.mode,
                "name": p.name,
                "address": p.address,
                "postal_code": p.postal_code,
                "city": p.city,
                "siret": p.siret,
                "finess": p.finess,
                "primary": p.is_primary,
            }
            for p in doctor.practice_places.all()
            if p.ended_on is None
        ],
    }


def _outbox(
    doctor: Doctor, kind: str, *, councils: list[str] | None = None, extra=None
) -> RegisterChange:
    # Positions must follow commit order (see tableau/sync/README.md): take the chain lock
    # before inserting (a no-op when this transaction already audited).
    acquire_chain_lock()
    payload = public_payload(doctor)
    if extra:
        payload.update(extra)
    # Positions in commit order: the council sync acknowledges positions (see acquire_chain_lock).
    acquire_chain_lock()
    return RegisterChange.objects.create(
        doctor=doctor, councils=councils or [doctor.council_id], kind=kind, payload=payload
    )


def _audit(actor, verb: str, doctor: Doctor, *, target=None, changes=None, reason="") -> None:
    record_event(
        actor=actor,
        action=f"tableau.doctor.{verb}",
        target=target or doctor,
        subject=f"doctor:{doctor.pk}",
        changes=changes,
        reason=reason,
    )


def _lock(doctor: Doctor | int) -> Doctor:
    pk = doctor.pk if isinstance(doctor, Doctor) else doctor
    return Doctor.objects.select_for_update().get(pk=pk)


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _clean_place(place: dict) -> dict:
    data = {
        k: place.get(k, "")
        for k in ("mode", "name", "address", "postal_code", "city", "siret", "finess")
    }
    if not is_practice_mode(data["mode"]):
        raise RegisterError(_("Mode d’exercice inconnu."))
    try:
        data["siret"] = clean_siret(data["siret"])
        data["finess"] = clean_finess(data["finess"])
    except ValidationError as error:
        raise RegisterError(error.messages[0]) from None
    data["is_primary"] = bool(place.get("is_primary", False))
    if place.get("started_on"):
        data["started_on"] = place["started_on"]
    return data


@transaction.atomic
def doctor_register(
    *,
    actor,
    rpps: str,
    council,
    identity: dict,
    email: str = "",
    phone: str = "",
    user=None,
    qualifications: list[str] = (),
    places: list[dict] = (),
    registered_on: dt.date | None = None,
    reason: str = "",
) -> Doctor:
    """Enter a doctor in the register (first registration), with their RPPS number."""
    unknown = [c for c in qualifications if not is_specialty(c)]
    if unknown:
        raise RegisterError(_("Spécialité inconnue : %(codes)s.") % {"codes": ", ".join(unknown)})
    registered_on = registered_on or timezone.localdate()
    fields = {k: identity[k] for k in IDENTITY_FIELDS if k in identity}
    fields.setdefault("public_last_name", identity.get("used_name") or identity["birth_name"])
    fields.setdefault("public_first_name", identity["first_names"].split()[0])
    doctor = Doctor.objects.create(
        user=user,
        rpps=rpps,
        council_id=getattr(council, "pk", council),
        email=email,
        phone=phone,
        status=DoctorStatus.REGISTERED,
        status_since=registered_on,
        registered_on=registered_on,
        public_name_normalized=normalise(
            f"{fields['public_last_name']} {fields['public_first_name']}"
        ),
        **fields,
    )
    DoctorStatusChange.objects.create(
        doctor=doctor,
        council_id=doctor.council_id,
        from_status="",
        to_status=DoctorStatus.REGISTERED,
        effective_on=registered_on,
        reason=reason or None,
        decided_by=_user_or_none(actor),
    )
    for code in qualifications:
        Qualification.objects.create(doctor=doctor, code=code, obtained_on=registered_on)
    for place in places:
        PracticePlace.objects.create(doctor=doctor, **_clean_place(place))
    _audit(
        actor,
        "register",
        doctor,
        changes={"council": doctor.council_id, "status": ["", doctor.status]},
    )
    _outbox(doctor, RegisterChangeKind.REGISTERED)
    return doctor


@transaction.atomic
def doctor_update_identity(*, actor, doctor: Doctor | int, reason: str = "", **fields) -> Doctor:
    doctor = _lock(doctor)
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise RegisterError(f"unknown identity fields: {sorted(unknown)}")
    changed = sorted(k for k, v in fields.items() if getattr(doctor, k) != v)
    if not changed:
        return doctor
    for key in changed:
        setattr(doctor, key, fields[key])
    doctor.public_name_normalized = normalise(
        f"{doctor.public_last_name} {doctor.public_first_name}"
    )
    doctor.updated_at = timezone.now()
    doctor.save()
    # Names of the changed fields only: identity values stay out of the trail.
    _audit(actor, "update_identity", doctor, changes={"fields": changed}, reason=reason)
    _outbox(doctor, RegisterChangeKind.IDENTITY)
    return doctor


@transaction.atomic
def doctor_update_contact(*, actor, doctor: Doctor | int, email=None, phone=None) -> Doctor:
    doctor = _lock(doctor)
    changed = []
    for key, value in (("email", email), ("phone", phone)):
        if value is not None and getattr(doctor, key) != value:
            setattr(doctor, key, value)
            changed.append(key)
    if not changed:
        return doctor
    doctor.updated_at = timezone.now()
    doctor.save(update_fields=[*changed, "updated_at"])
    _audit(actor, "update_contact", doctor, changes={"fields": changed})
    _outbox(doctor, RegisterChangeKind.CONTACT)
    return doctor


@transaction.atomic
def doctor_change_status(
    *,
    actor,
    doctor: Doctor | int,
    status: str,
    effective_on: dt.date | None = None,
    reason: str = "",
) -> DoctorStatusChange:
    """Suspension, striking off (radiation), retirement, death, reinstatement."""
    doctor = _lock(doctor)
    if status == DoctorStatus.TRANSFERRED:
        raise RegisterError(_("Un transfert passe par doctor_transfer."))
    if status not in STATUS_TRANSITIONS.get(doctor.status, ()):
        raise RegisterError(
            _("Passage impossible du statut « %(from)s » au statut « %(to)s ».")
            % {"from": doctor.get_status_display(), "to": DoctorStatus(status).label}
        )
    effective_on = effective_on or timezone.localdate()
    before = doctor.status
    change = DoctorStatusChange.objects.create(
        doctor=doctor,
        council_id=doctor.council_id,
        from_status=before,
        to_status=status,
        effective_on=effective_on,
        reason=reason or None,
        decided_by=_user_or_none(actor),
    )
    doctor.status = status
    doctor.status_since = effective_on
    doctor.updated_at = timezone.now()
    doctor.save(update_fields=["status", "status_since", "updated_at"])
    _audit(
        actor,
        "change_status",
        doctor,
        changes={"status": [before, status], "effective_on": effective_on.isoformat()},
    )
    _outbox(doctor, RegisterChangeKind.STATUS)
    return change


@transaction.atomic
def doctor_transfer(
    *,
    actor,
    doctor: Doctor | int,
    to_council,
    effective_on: dt.date | None = None,
    reason: str = "",
) -> Doctor:
    """Move a registered doctor to another council: the history shows "transferred" at the
    old council and "registered" at the new one; the outbox row concerns both."""
    doctor = _lock(doctor)
    to_code = getattr(to_council, "pk", to_council)
    if doctor.status != DoctorStatus.REGISTERED:
        raise RegisterError(_("Seul un médecin inscrit peut être transféré."))
    if to_code == doctor.council_id:
        raise RegisterError(_("Le médecin est déjà inscrit à ce conseil."))
    effective_on = effective_on or timezone.localdate()
    from_code = doctor.council_id
    user = _user_or_none(actor)
    DoctorStatusChange.objects.create(
        doctor=doctor,
        council_id=from_code,
        from_status=DoctorStatus.REGISTERED,
        to_status=DoctorStatus.TRANSFERRED,
        effective_on=effective_on,
        reason=reason or None,
        decided_by=user,
    )
    DoctorStatusChange.objects.create(
        doctor=doctor,
        council_id=to_code,
        from_status=DoctorStatus.TRANSFERRED,
        to_status=DoctorStatus.REGISTERED,
        effective_on=effective_on,
        reason=reason or None,
        decided_by=user,
    )
    doctor.council_id = to_code
    doctor.status_since = effective_on
    doctor.updated_at = timezone.now()
    doctor.save(update_fields=["council", "status_since", "updated_at"])
    _audit(actor, "transfer", doctor, changes={"council": [from_code, to_code]})
    _outbox(
        doctor,
        RegisterChangeKind.TRANSFER,
        councils=[from_code, to_code],
        extra={"from_council": from_code, "to_council": to_code},
    )
    return doctor


@transaction.atomic
def qualification_add(
    *, actor, doctor: Doctor | int, code: str, obtained_on: dt.date | None = None
) -> Qualification:
    doctor = _lock(doctor)
    if not is_specialty(code):
        raise RegisterError(_("Spécialité inconnue."))
    if doctor.qualifications.filter(code=code, ended_on__isnull=True).exists():
        raise RegisterError(_("Le médecin a déjà cette qualification."))
    qualification = Qualification.objects.create(
        doctor=doctor, code=code, obtained_on=obtained_on or timezone.localdate()
    )
    _audit(actor, "add_qualification", doctor, changes={"qualification": code})
    _outbox(doctor, RegisterChangeKind.QUALIFICATION_ADDED, extra={"qualification": code})
    return qualification


@transaction.atomic
def qualification_end(
    *, actor, qualification: Qualification | int, ended_on: dt.date | None = None
) -> Qualification:
    pk = qualification.pk if isinstance(qualification, Qualification) else qualification
    doctor = _lock(Qualification.objects.values_list("doctor_id", flat=True).get(pk=pk))
    qualification = Qualification.objects.get(pk=pk, ended_on__isnull=True)
    qualification.ended_on = ended_on or timezone.localdate()
    qualification.save(update_fields=["ended_on"])
    _audit(actor, "end_qualification", doctor, changes={"qualification": qualification.code})
    _outbox(
        doctor, RegisterChangeKind.QUALIFICATION_ENDED, extra={"qualification": qualification.code}
    )
    return qualification


@transaction.atomic
def practice_place_add(*, actor, doctor: Doctor | int, place: dict) -> PracticePlace:
    doctor = _lock(doctor)
    data = _clean_place(place)
    if data["is_primary"]:
        doctor.practice_places.filter(ended_on__isnull=True, is_primary=True).update(
            is_primary=False
        )
    created = PracticePlace.objects.create(doctor=doctor, **data)
    _audit(actor, "add_place", doctor, changes={"place": created.pk, "mode": created.mode})
    _outbox(doctor, RegisterChangeKind.PLACE_ADDED)
    return created


@transaction.atomic
def practice_place_update(*, actor, place: PracticePlace | int, changes: dict) -> PracticePlace:
    pk = place.pk if isinstance(place, PracticePlace) else place
    doctor = _lock(PracticePlace.objects.values_list("doctor_id", flat=True).get(pk=pk))
    place = PracticePlace.objects.get(pk=pk, ended_on__isnull=True)
    current = {
        k: getattr(place, k)
        for k in ("mode", "name", "address", "postal_code", "city", "siret", "finess", "is_primary")
    }
    data = _clean_place({**current, **changes})
    data.pop("started_on", None)
    changed = sorted(k for k, v in data.items() if current.get(k) != v)
    if not changed:
        return place
    if data["is_primary"] and not place.is_primary:
        doctor.practice_places.filter(ended_on__isnull=True, is_primary=True).update(
            is_primary=False
        )
    for key in changed:
        setattr(place, key, data[key])
    place.save(update_fields=changed)
    _audit(actor, "change_place", doctor, changes={"place": place.pk, "fields": changed})
    _outbox(doctor, RegisterChangeKind.PLACE_CHANGED)
    return place


@transaction.atomic
def practice_place_end(
    *, actor, place: PracticePlace | int, ended_on: dt.date | None = None
) -> PracticePlace:
    pk = place.pk if isinstance(place, PracticePlace) else place
    doctor = _lock(PracticePlace.objects.values_list("doctor_id", flat=True).get(pk=pk))
    place = PracticePlace.objects.get(pk=pk, ended_on__isnull=True)
    place.ended_on = ended_on or timezone.localdate()
    place.save(update_fields=["ended_on"])
    _audit(actor, "end_place", doctor, changes={"place": place.pk})
    _outbox(doctor, RegisterChangeKind.PLACE_ENDED)
    return place


@transaction.atomic
def register_from_registration_dossier(*, actor, dossier) -> Doctor:
    """The acceptance of a registration dossier: allocate an RPPS number, enter the
    applicant in the register, link their account, tell them. Runs inside the
    acceptance transaction of the dossier engine (all or nothing)."""
    from rpps.services import allocate_rpps

    if Doctor.objects.filter(user_id=dossier.applicant_id).exists():
        raise RegisterError(_("Le demandeur est déjà inscrit au tableau."))
    data = dossier.form_data
    rpps = allocate_rpps(actor=actor, subject=f"dossier:{dossier.pk}")
    place = {
        "mode": data["practice_mode"],
        "name": data.get("practice_name", ""),
        "address": data["practice_address"],
        "postal_code": data["practice_postal_code"],
        "city": data["practice_city"],
        "siret": data.get("practice_siret", ""),
        "finess": data.get("practice_finess", ""),
        "is_primary": True,
    }
    doctor = doctor_register(
        actor=actor,
        rpps=rpps,
        council=dossier.council_id,
        identity={
            "birth_name": data["birth_name"],
            "used_name": data.get("used_name") or None,
            "first_names": data["first_names"],
            "sex": data["sex"],
            "birth_date": dt.date.fromisoformat(data["birth_date"]),
            "birth_place": data["birth_place"],
            "birth_country": data.get("birth_country", "FR"),
            "nationality": data.get("nationality", "FR"),
        },
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        user=dossier.applicant,
        qualifications=[data["specialty"]] if data.get("specialty") else [],
        places=[place],
        reason=f"dossier {dossier.reference}",
    )
    # The applicant's account becomes a doctor's: role, and RPPS for Pro Santé Connect.
    from ordre.accounts.roles import APPLICANT, DOCTOR
    from ordre.accounts.services import role_grant, role_revoke, user_link_rpps

    user_link_rpps(actor=actor, user=dossier.applicant, rpps=doctor.rpps)
    role_grant(
        actor=actor, user=dossier.applicant, role=DOCTOR, reason=f"dossier {dossier.reference}"
    )
    role_revoke(
        actor=actor, user=dossier.applicant, role=APPLICANT, reason=f"dossier {dossier.reference}"
    )
    from ordre.notifications.services import notify

    notify(
        recipient=dossier.applicant,
        template="tableau/doctor_registered",
        context={
            "rpps": doctor.rpps,
            "council_name": dossier.council.name,
            "reference": dossier.reference,
            "link": "/mon-inscription/",
        },
    )
    return doctor


def _doctor_of_applicant(dossier) -> Doctor:
    doctor = Doctor.objects.filter(user_id=dossier.applicant_id).first()
    if doctor is None:
        raise RegisterError(_("Le demandeur n’est pas inscrit au tableau."))
    return doctor


def _place_from_form(data: dict) -> dict:
    return {
        "mode": data["practice_mode"],
        "name": data.get("practice_name", ""),
        "address": data["practice_address"],
        "postal_code": data["practice_postal_code"],
        "city": data["practice_city"],
        "siret": data.get("practice_siret", ""),
        "finess": data.get("practice_finess", ""),
        "is_primary": True,
    }


@transaction.atomic
def apply_transfer_dossier(*, actor, dossier) -> Doctor:
    """Acceptance of a transfer by the receiving council (the dossier's council)."""
    doctor = _doctor_of_applicant(dossier)
    data = dossier.form_data
    effective_on = dt.date.fromisoformat(data["effective_on"])
    doctor = doctor_transfer(
        actor=actor,
        doctor=doctor,
        to_council=dossier.council_id,
        effective_on=effective_on,
        reason=f"dossier {dossier.reference}",
    )
    for place in doctor.practice_places.filter(ended_on__isnull=True):
        practice_place_end(actor=actor, place=place, ended_on=effective_on)
    practice_place_add(actor=actor, doctor=doctor, place=_place_from_form(data))
    return doctor


@transaction.atomic
def apply_qualification_dossier(*, actor, dossier) -> Qualification:
    doctor = _doctor_of_applicant(dossier)
    return qualification_add(actor=actor, doctor=doctor, code=dossier.form_data["specialty"])


@transaction.atomic
def apply_situation_change_dossier(*, actor, dossier) -> Doctor:
    doctor = _doctor_of_applicant(dossier)
    data = dossier.form_data
    effective_on = dt.date.fromisoformat(data["effective_on"])
    change = data["change"]
    if change == "practice_place":
        practice_place_add(actor=actor, doctor=doctor, place=_place_from_form(data))
    elif change in ("retirement", "end_of_activity"):
        for place in doctor.practice_places.filter(ended_on__isnull=True):
            practice_place_end(actor=actor, place=place, ended_on=effective_on)
        if change == "retirement":
            doctor_change_status(
                actor=actor,
                doctor=doctor,
                status=DoctorStatus.RETIRED,
                effective_on=effective_on,
                reason=f"dossier {dossier.reference}",
            )
    else:
        raise RegisterError(_("Changement de situation inconnu."))
    return doctor

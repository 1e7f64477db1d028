"""N-Triples terms and lines, written as plain strings (no RDF library in the hot path)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..vocab import DCT, RDF, RDFS, SKOS, XSD, ontology_ns

QUDT_UNIT = "http://qudt.org/vocab/unit/"


def iri(value: str) -> str:
    return f"<{value}>"


def ru(text: str) -> str:
    return f'"{text}"@ru'


def en(text: str) -> str:
    return f'"{text}"@en'


def plain(text: str) -> str:
    return f'"{text}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


class Predicates:
    """The predicates and classes the generator writes, as N-Triples IRIs, for one ontology namespace."""

    if TYPE_CHECKING:  # the eco: predicates are set in a loop below; each is an N-Triples IRI
        def __getattr__(self, name: str) -> str: ...

    def __init__(self, base_iri: str):
        eco = ontology_ns(base_iri)
        self.a = iri(RDF + "type")
        self.label = iri(RDFS + "label")
        self.title = iri(DCT + "title")
        self.language = iri(DCT + "language")
        self.issued = iri(DCT + "issued")
        self.description = iri(DCT + "description")
        self.alt_label = iri(SKOS + "altLabel")
        for name in ("source", "evidence", "hasField", "hasStatus", "goal", "subOrganizationOf", "unitOf",
                     "subordinateTo", "associatedWith", "memberOf", "hasSite", "managedBy", "coordinatedBy",
                     "blockOf", "blockNumber", "heldBy", "postIn", "role", "asOf", "period", "date", "hasParty",
                     "hasSignature", "partyOrganization", "signatory", "onBehalfOf", "inCapacityOf", "venue",
                     "organizer", "coOrganizer", "hasParticipant", "partOfEvent", "theme", "outcome", "resultedIn",
                     "ledTo", "hasSpeaker", "participationIn", "participant", "participantRole", "representing",
                     "area", "floorArea", "locatedIn", "numericValue", "unit", "projectParticipant",
                     "underAgreement", "countOf", "memberCount", "memberKind", "status", "beginYear", "endYear",
                     "fileName", "sourceKind", "publicationDateTime", "advertiser", "spokenBy", "about", "quoteText",
                     "givenName", "familyName", "subjectOfCooperation", "inferenceNote"):
            setattr(self, name, iri(eco + name))
        self.cls = {name: iri(eco + name) for name in (
            "University", "Cluster", "Fund", "GovernmentBody", "DevelopmentCorporation", "Company", "Bank",
            "OrganizationalUnit", "Technopark", "Clinic", "AcademicDepartment", "Laboratory", "IndustrialPark",
            "Centre", "StructuralBlock", "Institute",
            "Person", "Post", "CooperationAgreement", "AgreementParty", "Signature", "SigningCeremony", "RoundTable",
            "Visit", "Forum", "MasterClass", "Participation", "Territory", "Building", "Site", "Quantity", "Project",
            "MembershipCount", "StatusAssertion", "Period", "NewsArticle", "Advertisement", "Quotation")}
        self.hectare = iri(QUDT_UNIT + "HA")
        self.square_metre = iri(QUDT_UNIT + "M2")


@dataclass
class Block:
    """The triples of one self-contained group of nodes: it only points at nodes written before it or in it."""

    lines: list[str]

    def __init__(self) -> None:
        self.lines = []

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def many(self, s: str, p: str, objects: list[str] | tuple[str, ...]) -> None:
        self.lines.extend(f"{s} {p} {o} .\n" for o in objects)

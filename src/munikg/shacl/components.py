"""The SHACL Core constraint components (SHACL 1.0 §4), as tables the compiler
(:mod:`munikg.shacl.core_constraints`) reads: which parameter names which component, how a
node kind or a comparison is written in SPARQL, and which parameters only describe a shape.
A parameter in none of these is refused, naming the shape: never checked silently.
"""

from rdflib.namespace import SH

# Components whose condition is on each value node alone (SHACL 1.0 §4.1–4.4, 4.6, 4.8).
VALUE_COMPONENTS = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH.xone: "XoneConstraintComponent",
}
# Components that look at all value nodes of a focus node together (cardinality, pairs).
SET_COMPONENTS = {
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.qualifiedMinCount: "QualifiedMinCountConstraintComponent",
    SH.qualifiedMaxCount: "QualifiedMaxCountConstraintComponent",
    SH.equals: "EqualsConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.lessThan: "LessThanConstraintComponent",
    SH.lessThanOrEquals: "LessThanOrEqualsConstraintComponent",
}
QUALIFIED = {SH.qualifiedMinCount, SH.qualifiedMaxCount}
COUNTS = {SH.minCount, SH.maxCount} | QUALIFIED
PAIR_COMPONENTS = {SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
# Read with their components, or only describe the shape.
PARAMETERS = {
    SH.path,
    SH.property,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.flags,
    SH.qualifiedValueShape,
    SH.qualifiedValueShapesDisjoint,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.sparql,  # SHACL-SPARQL, run by munikg.shacl.sparql_constraints
    SH.declare,
    SH.prefixes,
}

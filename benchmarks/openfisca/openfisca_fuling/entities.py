from openfisca_core.entities import build_entity

Household = build_entity(
    key="household",
    plural="households",
    label="共同生活的家庭",
    roles=[{"key": "member", "plural": "members", "label": "家庭成员"}],
)
Person = build_entity(key="person", plural="persons", label="人员", is_person=True)

entities = [Household, Person]

"""Sample facts shared by the tests (the documented JSON shape)."""

SAMPLE_HOUSEHOLD_DATA = {
    "period": "2024-10",
    "household": {
        "zone": "urban",
        "division_code": "500102006001",
        "financial_assets": 12000,
        "vehicle_values": [25000],
        "rigid_spending_12m": 0,
        "members": [
            {
                "id": "m1",
                "relation": "head",
                "birth_date": "1950-03-01",
                "sex": "F",
                "disability_category": "physical",
                "disability_grade": 2,
                "serious_illness": False,
                "student": False,
                "able_to_work": False,
                "has_capable_supporter": False,
                "self_care": "partly_unable",
                "child_status": None,
                "in_institution": False,
                "monthly_income": {"wage": 0, "business": 0, "property": 0, "transfer": 0},
            }
        ],
    },
}

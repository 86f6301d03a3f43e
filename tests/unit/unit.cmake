# filled by the unit-test work

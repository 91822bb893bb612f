"""relatiebeheer: relation management for Dutch accountancy offices."""

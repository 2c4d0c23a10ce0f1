"""The engagement store: the only code that knows SQL and the tables. Other layers call the repository functions here and get typed values back."""

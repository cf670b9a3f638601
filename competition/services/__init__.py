"""Operations that change state. Only services write to the database."""

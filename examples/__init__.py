"""Small programs that drive oracle_sansio from other loops."""

-- The Judicial Branch and the Department of Correction each own a database.
CREATE DATABASE obts_judicial;
CREATE DATABASE obts_correction;

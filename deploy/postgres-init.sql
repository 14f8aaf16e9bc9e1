-- The Judicial Branch and the Department of Correction each own a database.
CREATE DATABASE obts_judicial;
CREATE DATABASE obts_correction;
-- The gateway's audit log (table obts_audit, created by the gateway; see gateway/SECURITY.md).
CREATE DATABASE obts_audit;
-- The notifications service's own store (subscriptions, deliveries; no offender data).
CREATE DATABASE obts_notifications;

-- Appointments at the desk (issue 36): a booking holds one place of a
-- desk's slot until it is cancelled; checking in at the kiosk issues a
-- queue number, as does a walk-in.
CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    desk TEXT NOT NULL,
    day TEXT NOT NULL,                 -- yyyy-mm-dd, Vietnam
    start_min INTEGER NOT NULL,        -- slot start, minutes after midnight
    end_min INTEGER NOT NULL,
    pool TEXT NOT NULL DEFAULT '',     -- a field with places of its own, or ''
    priority INTEGER NOT NULL DEFAULT 0,   -- aged 75 or over: the kept places are theirs first
    account INTEGER NOT NULL REFERENCES accounts(id),  -- who booked
    citizen_id TEXT NOT NULL,          -- who comes
    full_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    for_self INTEGER NOT NULL,
    procedure TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('booked', 'cancelled', 'checked_in', 'served', 'no_show')),
    created_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    reminded_at INTEGER,
    -- The back office's own booking, when it keeps them (backend seam):
    -- NULL not yet handed over, '' handed to one that keeps none; its
    -- state there: 0 as told, 1 taken back (cancelled), 2 moved since told.
    remote_id TEXT,
    remote_state INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX bookings_slot ON bookings(desk, day, start_min, pool, state);
CREATE INDEX bookings_person ON bookings(citizen_id, day, state);
CREATE INDEX bookings_account ON bookings(account, created_at);
CREATE INDEX bookings_remind ON bookings(day, state, reminded_at);

CREATE TABLE queue_numbers (
    id INTEGER PRIMARY KEY,
    desk TEXT NOT NULL,
    day TEXT NOT NULL,
    number INTEGER NOT NULL,
    booking INTEGER UNIQUE REFERENCES bookings(id),
    priority INTEGER NOT NULL DEFAULT 0,
    issued_at INTEGER NOT NULL,
    called_at INTEGER,
    served_at INTEGER,
    absent_at INTEGER,
    UNIQUE (desk, day, number)
);

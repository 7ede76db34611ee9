-- The e-receipt (biên lai điện tử) of a paid fee: numbered from 1 in its
-- series (the partner's prefix and the year, `payment::receipt_series`),
-- issued in the same transaction that settles the payment as paid.
-- `reported_at`: when the province's back office was told of the payment
-- (OpenCPS driver); NULL while it has not been, or when this portal keeps
-- the dossier itself.
ALTER TABLE payments ADD COLUMN receipt_series TEXT;
ALTER TABLE payments ADD COLUMN receipt_no INTEGER;
ALTER TABLE payments ADD COLUMN reported_at INTEGER;
-- When the back office last refused to take it (not merely away): asked
-- again only after a while, so a refusal is not retried every poll.
ALTER TABLE payments ADD COLUMN report_refused_at INTEGER;
CREATE UNIQUE INDEX payments_receipt ON payments(receipt_series, receipt_no)
    WHERE receipt_no IS NOT NULL;
-- What the back-office poll asks for each round: paid, not yet told.
CREATE INDEX payments_unreported ON payments(settled_at)
    WHERE state = 'paid' AND reported_at IS NULL;
-- Which fee an attempt pays: the time of the move to 6 that asked for it,
-- or 0 for the fee paid on filing (`Stored::fee_due`). Payments made before
-- this column were all for a fee asked at 6: the last such move before it.
ALTER TABLE payments ADD COLUMN due_from INTEGER NOT NULL DEFAULT 0;
UPDATE payments SET due_from = COALESCE((
    SELECT MAX(h.at) FROM dossier_history h
    WHERE h.dossier_id = payments.dossier_id AND h.status = 6 AND h.at <= payments.created_at), 0);

-- electronic forms (tờ khai điện tử): the filled form of a dossier, as
-- contract::eform::FormAnswers JSON (form id, version, field id → answer),
-- cleaned of questions not asked; NULL when the dossier has none
ALTER TABLE dossiers ADD COLUMN form TEXT;

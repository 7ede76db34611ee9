//! Dossiers: submitted with an `Idempotency-Key`; the same key from the
//! same citizen returns the first dossier's receipt instead of a second
//! dossier. The code is `<agency>-YYMMDD-NNNN` with a daily sequence per
//! agency taken in the same transaction; the due date counts working days.
//! Receipts follow the one access rule of `store::dossiers::access`.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::account::phone_hint;
use contract::dossier::*;
use contract::error::ApiError;
use contract::status::DossierStatus;
use contract::time::{dmy, dmy_hm, vn_date, vn_datetime, vn_hour_minute};
use contract::{validate, workdays};
use serde::Deserialize;

use crate::error::{problem, Error, Result};
use crate::http::extract::{IdempotencyKey, SignedIn, Viewer};
use crate::store::dossiers::{Access, NewDossier};
use crate::{catalog, secrets, store, AppState};

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(submit, mine; receipt)
}

/// The files of one dossier add up to at most this.
const MAX_DOSSIER_BYTES: u64 = 60 * 1024 * 1024;

/// What the holder of a receipt's QR code sees of the applicant: initials,
/// the ID's last 3 digits, a hint of the phone.
pub fn mask(a: &Applicant) -> Applicant {
    let initials = a
        .full_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ");
    let n = a.citizen_id.chars().count();
    Applicant {
        full_name: initials,
        citizen_id: format!(
            "{}{}",
            "*".repeat(n.saturating_sub(3)),
            a.citizen_id.chars().skip(n.saturating_sub(3)).collect::<String>()
        ),
        birth_date: String::new(),
        phone: phone_hint(&a.phone),
        email: String::new(),
        address: String::new(),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub token: String,
}

/// Why a submission could not be stored.
enum Refused {
    Files,
    Size,
}

/// Submit a dossier. The same `Idempotency-Key` again returns the first receipt.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers", request_body = SubmitRequest,
    params(("Idempotency-Key" = String, Header)),
    responses((status = 201, body = Receipt), (status = 200, body = Receipt, description = "Already submitted with this key"),
        (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn submit(
    State(st): State<AppState>,
    s: SignedIn,
    IdempotencyKey(key): IdempotencyKey,
    Json(req): Json<SubmitRequest>,
) -> Result<Response> {
    // A retry of a submission that went through: the same receipt.
    if let Some(receipt) = earlier_receipt(&st, s.account, &key).await? {
        return Ok((StatusCode::OK, Json(receipt)).into_response());
    }
    let code = req.procedure.clone();
    let procedure = st
        .db
        .call(move |c| catalog::procedure(c, &code))
        .await
        .map_err(Error::internal)?
        .ok_or_else(|| Error::field("procedure", "Không có thủ tục này", "No such procedure"))?;
    let units = st.db.call(|c| catalog::units(c)).await?;
    let now = st.now();
    let today = vn_date(now);
    // Filing for oneself with an identity VNeID proved: who one is, is
    // what VNeID said, whatever was typed (receipts and lookups use it).
    let mut req = req;
    if !req.on_behalf && s.me.identity_verified {
        req.applicant.full_name = s.me.full_name.clone();
        req.applicant.citizen_id = s.me.citizen_id.clone();
        req.applicant.birth_date = s.me.birth_date.clone();
    }
    let problems = contract::dossier::check(&req, &procedure, &units, today);
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    // A back office not set up for this procedure at this desk would
    // refuse it for good: said now, beside the desk.
    if st.back_office.as_ref().and_then(|b| b.receives(&procedure.code, &req.unit)) == Some(false) {
        return Err(Error::invalid([(
            "unit",
            problem(
                "Nơi này chưa nhận hồ sơ trực tuyến của thủ tục này; hãy chọn nơi tiếp nhận khác hoặc nộp trực tiếp tại Bộ phận Một cửa",
                "This desk does not take this procedure online yet; choose another desk or file in person at the one-stop desk",
            ),
        )]));
    }
    // Kept as it will be read: without answers to questions not asked.
    let eform = contract::eform::for_procedure(&procedure.code);
    if let (Some(f), Some(a)) = (eform, req.form.as_ref()) {
        req.form = Some(f.clean(&a.answers));
    }
    let form_json = req.form.as_ref().map(serde_json::to_string).transpose()?;
    let unit = units.iter().find(|u| u.code == req.unit).cloned().expect("checked");
    let fee_on_filing =
        st.payment.as_ref().and_then(|_| contract::catalog::fee_on_filing(&procedure, req.copies));
    let mut receipt = new_receipt(&req, &procedure, &unit, now, fee_on_filing);
    let file_ids: Vec<String> =
        req.documents.iter().flat_map(|d| d.files.iter().cloned()).collect();
    let owner_citizen_id = owner_of(&req, &s.me, &mut receipt, now);
    let assisted_by = receipt.assisted.is_some().then_some(s.account);
    let claim_code = assisted_by.map(|_| secrets::new_claim_code());
    let draft = req.draft.clone();
    let request_json = serde_json::to_string(&req)?;
    let summary = contract::dossier::stated_request(&req);
    // Under a back-office driver: queued for it with the filing itself.
    let forward = st.back_office.as_ref().map(|b| b.driver().name());
    let stored = st
        .db
        .call(move |c| -> rusqlite::Result<std::result::Result<Receipt, Refused>> {
            let tx = crate::db::write_tx(c)?;
            // Another request with the same key may have won the race.
            if let Some(body) = store::dossiers::by_key(&tx, s.account, &key)? {
                return serde_json::from_str(&body)
                    .map(Ok)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)));
            }
            // The files: this citizen's, and not yet in another dossier.
            let mut size: i64 = 0;
            for id in &file_ids {
                match store::files::unattached_size(&tx, s.account, id)? {
                    Some(n) => size += n,
                    None => return Ok(Err(Refused::Files)),
                }
            }
            if size as u64 > MAX_DOSSIER_BYTES {
                return Ok(Err(Refused::Size));
            }
            let id = store::dossiers::insert(
                &tx,
                NewDossier {
                    receipt: &mut receipt,
                    account: s.account,
                    idempotency_key: &key,
                    request: &request_json,
                    received_at: now as i64,
                    received_on: today,
                    channel: 2,
                    owner_citizen_id: &owner_citizen_id,
                    assisted_by,
                    claim_code: claim_code.as_deref(),
                    form: form_json.as_deref(),
                    national: forward.is_none(),
                    forward,
                    summary: &summary,
                },
            )?;
            for f in &file_ids {
                store::files::attach(&tx, s.account, f, id)?;
            }
            if let Some(d) = draft {
                store::files::delete_draft(&tx, s.account, &d)?;
            }
            tx.commit()?;
            // Not in the stored receipt: given to the volunteer here.
            if let Some(a) = receipt.assisted.as_mut() {
                a.claim_code = claim_code;
            }
            Ok(Ok(receipt))
        })
        .await?;
    answer(&st, stored)
}

/// The answer to a submission: its receipt (201), or why its files could
/// not be kept.
fn answer(st: &AppState, stored: std::result::Result<Receipt, Refused>) -> Result<Response> {
    match stored {
        Ok(mut r) => {
            if let Some(b) = &st.back_office {
                b.wake.notify_one();
                r.on_its_way = true;
            }
            Ok((StatusCode::CREATED, Json(r)).into_response())
        }
        Err(Refused::Files) => Err(Error::invalid([(
            "documents",
            problem(
                "Một tệp đính kèm không còn; hãy đính kèm lại",
                "An attached file is missing; attach it again",
            ),
        )])),
        Err(Refused::Size) => Err(Error::invalid([(
            "documents",
            problem("Tổng dung lượng tệp quá 60 MB", "The files add up to more than 60 MB"),
        )])),
    }
}

/// Who owns a dossier filed now: a volunteer filing for a resident makes
/// the resident (by ID number) its owner, and the receipt says who helped
/// and when consent was given; anyone else owns what they file.
fn owner_of(
    req: &SubmitRequest,
    me: &contract::account::Me,
    receipt: &mut Receipt,
    now: u64,
) -> String {
    // A volunteer filing for a resident: the resident (by ID number) owns
    // it, and the receipt says who helped and when consent was given.
    if req.on_behalf && me.volunteer {
        receipt.assisted = Some(Assistance {
            volunteer: me.full_name.clone(),
            relationship: req.relationship.trim().chars().take(100).collect(),
            consent_at: vn_datetime(now as i64),
            claim_code: None,
        });
        receipt.applicant.citizen_id.clone()
    } else {
        me.citizen_id.clone()
    }
}

/// The receipt of a submission already stored under this key, if any
/// (with whether it is still on its way to the back office).
async fn earlier_receipt(st: &AppState, account: i64, key: &str) -> Result<Option<Receipt>> {
    let k = key.to_string();
    let Some(body) = st.db.call(move |c| store::dossiers::by_key(c, account, &k)).await? else {
        return Ok(None);
    };
    let mut receipt: Receipt = serde_json::from_str(&body)?;
    if st.back_office.is_some() {
        let code = receipt.code.clone();
        let d = st.db.call(move |c| store::dossiers::load(c, &code)).await?;
        receipt.on_its_way = d.and_then(|d| d.back_office).is_some_and(|(sent, _)| !sent);
    }
    Ok(Some(receipt))
}

/// The receipt of a checked submission, before it is stored (no code yet):
/// the documents given, the applicant as validated, the due date.
fn new_receipt(
    req: &SubmitRequest,
    procedure: &contract::catalog::Procedure,
    unit: &contract::catalog::Unit,
    now: u64,
    fee_on_filing: Option<u64>,
) -> Receipt {
    let (hour, minute) = vn_hour_minute(now);
    let documents: Vec<ReceivedDocument> = procedure
        .documents
        .iter()
        .filter_map(|d| {
            let files =
                req.documents.iter().find(|x| x.name == d.name).map_or(0, |x| x.files.len() as u32);
            (files > 0).then(|| ReceivedDocument {
                name: d.name.clone(),
                originals: d.originals,
                copies: d.copies,
                files,
            })
        })
        .collect();
    let mut applicant = req.applicant.clone();
    applicant.full_name = validate::full_name(&applicant.full_name).unwrap_or_default();
    applicant.citizen_id = validate::citizen_id(&applicant.citizen_id, None).unwrap_or_default();
    applicant.phone = validate::phone(&applicant.phone).unwrap_or_default();
    applicant.address = applicant.address.trim().to_string();
    let today = vn_date(now);
    Receipt {
        code: String::new(),
        token: secrets::new_token(),
        agency_code: unit.code.clone(),
        agency_name: unit.desk_name(),
        procedure_code: procedure.code.clone(),
        procedure_name: procedure.name.clone(),
        applicant,
        on_behalf: req.on_behalf,
        documents,
        processing_time: procedure.time.clone(),
        working_days: procedure.working_days,
        received_at: dmy_hm(today, hour, minute),
        due_date: procedure
            .working_days
            .map(|n| dmy(workdays::due_date(today, hour, n)))
            .unwrap_or_default(),
        delivery: req.delivery.clone(),
        // A price per copy is said as the total for the copies asked.
        fee: contract::catalog::fee_for_copies(procedure.online_fee(), req.copies)
            .unwrap_or_else(|| procedure.online_fee().to_string()),
        fee_on_filing,
        status: DossierStatus::Registered,
        assisted: None,
        accepted_at: None,
        form: req.form.as_ref().map(|f| f.form.clone()),
        on_its_way: false,
    }
}

/// A dossier by its code, if the code is well formed and it exists.
pub async fn stored(st: &AppState, code: &str) -> Result<Option<store::dossiers::Stored>> {
    if parse_dossier_code(code).is_none() {
        return Ok(None);
    }
    let code = code.to_string();
    Ok(st.db.call(move |c| store::dossiers::load(c, &code)).await?)
}

/// Who may see dossier `d`, by the one rule (`store::dossiers::access`):
/// nobody is answered as for a dossier that does not exist, and every look
/// of the volunteer who filed it at the resident's details is recorded.
/// Every handler that shows a dossier comes through here.
pub async fn admit(
    st: &AppState,
    d: &store::dossiers::Stored,
    viewer: Option<&SignedIn>,
    token: &str,
) -> Result<Access> {
    match store::dossiers::access(d, viewer.map(SignedIn::viewer), token) {
        Access::None => Err(Error::not_found()),
        Access::Assistant => {
            crate::http::volunteers::record_view(st, d.id, d.assisted_by).await;
            Ok(Access::Assistant)
        }
        a => Ok(a),
    }
}

/// A dossier by its code and who may see it ([`admit`]); not found for a
/// code that is malformed, unknown or not theirs to see.
pub async fn open(
    st: &AppState,
    code: &str,
    viewer: Option<&SignedIn>,
    token: &str,
) -> Result<(store::dossiers::Stored, Access)> {
    let d = stored(st, code).await?.ok_or_else(Error::not_found)?;
    let a = admit(st, &d, viewer, token).await?;
    Ok((d, a))
}

/// A receipt: in full for its owner and the volunteer who filed it; with
/// the tracking token from the QR code, without personal details.
/// Otherwise: not found.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/receipt", tag = "dossiers",
    params(("code" = String, Path), ("token" = Option<String>, Query)),
    responses((status = 200, body = Receipt), (status = 404, body = ApiError)))]
pub async fn receipt(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
    Path(code): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Result<Response> {
    let (d, access) = open(&st, &code, viewer.as_ref(), &q.token).await?;
    let mut receipt = d.receipt;
    match access {
        Access::None => return Err(Error::not_found()),
        Access::Public => {
            receipt.applicant = mask(&receipt.applicant);
            // Its printable form is for those who see personal data.
            receipt.form = None;
            if let Delivery::Post { .. } = receipt.delivery {
                receipt.delivery = Delivery::Post { address: String::new() };
            }
            // The volunteer who filed it, after "Người tiếp theo": a jammed
            // print can be done again, without the resident's details but
            // with the claim code (only an account under the resident's own
            // ID number can use it) until the resident has claimed it.
            let filer = viewer.as_ref().is_some_and(|v| Some(v.account) == d.assisted_by);
            if filer {
                if let Some(a) = receipt.assisted.as_mut() {
                    a.claim_code = d.claim_code.clone().filter(|_| d.claimed_by.is_none());
                }
            }
        }
        Access::Owner => {}
        // Until the resident has claimed it, the volunteer can print it again.
        Access::Assistant => {
            if let Some(a) = receipt.assisted.as_mut() {
                a.claim_code = d.claim_code.clone().filter(|_| d.claimed_by.is_none());
            }
        }
    }
    receipt.status = d.status;
    receipt.on_its_way = d.back_office.is_some_and(|(handed_over, _)| !handed_over);
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(receipt)).into_response())
}

/// The signed-in citizen's dossiers, newest first.
#[utoipa::path(get, path = "/api/v1/dossiers", tag = "dossiers",
    responses((status = 200, body = Vec<DossierSummary>), (status = 401, body = ApiError)))]
pub async fn mine(State(st): State<AppState>, s: SignedIn) -> Result<Json<Vec<DossierSummary>>> {
    let rows = st.db.call(move |c| store::dossiers::owned_by(c, s.viewer())).await?;
    let mut out = Vec::new();
    for (body, status, results) in rows {
        let r: Receipt = serde_json::from_str(&body)?;
        out.push(DossierSummary { results, ..DossierSummary::of(r, status) });
    }
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_only_what_the_holder_of_the_qr_already_knows() {
        let a = Applicant {
            full_name: "Nguyễn Thị Lan".into(),
            citizen_id: "020090123456".into(),
            birth_date: "09/05/1990".into(),
            phone: "0912345678".into(),
            email: "lan@vi-du.vn".into(),
            address: "Thôn Pò Mỏ".into(),
        };
        let m = mask(&a);
        assert_eq!(m.full_name, "N. T. L.");
        assert_eq!(m.citizen_id, "*********456");
        assert_eq!(m.phone, "******5678");
        assert!(m.birth_date.is_empty() && m.email.is_empty() && m.address.is_empty());
    }
}

//! The OpenCPS driver: dossiers handed to an OpenCPS site over its REST
//! API v2, as published in VietOpenCPS/opencps-v2
//! (`modules/backend-api-rest`):
//!
//! - every call carries HTTP Basic credentials and the site's `groupId`
//!   header; errors come back as `{code, message, description}`
//!   (`BusinessExceptionImpl`: 203/401 not signed in, 403 anything refused);
//! - `GET /dossiers?dossierNo=…` (`DossierSearchModel`) finds what was
//!   already created, so a retry never creates a second dossier;
//! - `POST /dossiers`, form-encoded `DossierInputModel` (`serviceCode`,
//!   `govAgencyCode`, `dossierTemplateNo`, applicant and contact fields,
//!   `online`, `originality`, `referenceUid`, and `dossierNo`: our code, so
//!   one dossier has one code); the answer is a `DossierDetailModel`;
//! - `GET /dossiers/{id}/files` then `POST /dossiers/{id}/files`, multipart
//!   (`file`, `dossierPartNo`, `referenceUid`, `displayName`, `fileType`,
//!   and for the e-form `formData` with `eForm`): files already there (by
//!   our reference) are not sent again;
//! - `POST /dossiers/{id}/submit` while it is `new`;
//! - `GET /dossiers/{id}`: `dossierStatus` and `dossierSubStatus`, mapped to
//!   the national 1–10 by a table kept as data (`data/opencps-status.tsv`,
//!   OpenCPS's own `DossierStatusMapping`, sub-status first);
//! - `POST /dossiers/{id}/cancelling`: the citizen asks to withdraw;
//!   `POST /dossiers/{id}/submitting`: sent again with what was asked for;
//! - `GET /dossiers/{id}/payment` (`PaymentFileModel.paymentAmount`) at
//!   status 6; files of `dossierPartType` 2, the results, at 9 and 10;
//! - `PUT /dossiers/{id}/payment` (`PaymentFileInputModel`, form fields):
//!   a fee paid online here, as OpenCPS's `pay-gate-integration` marks one
//!   the national platform confirmed (`paymentStatus` 5, `paymentMethod`
//!   `KeyPayDVCQG`, `paymentAmount`, `paymentNote`, `confirmPayload`);
//! - `GET /serviceconfigs` (`ServiceConfig`: `serviceCode`,
//!   `govAgencyCode`): which procedures each agency receives.
//!
//! Documents go in as parts `TP01`, `TP02`… in the procedure's order, the
//! e-form as part `TK01` (docs/decisions.md says why).

use std::collections::HashMap;
use std::time::Duration;

use serde::Deserialize;

use super::{BackOffice, Failure, FileOut, Filing, Fut, IssuedResult, Standing};

/// The `className` our bookings have in OpenCPS's booking list (their
/// `classPK` is the portal's booking row).
pub const BOOKING_CLASS: &str = "motcua.Booking";

pub use super::opencps_config::{parse_services, Config, StatusMap};

/// The fields of `DossierDetailModel` the driver reads; an answer without
/// one of them is not of the published shape, and is refused naming it.
#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Detail {
    #[serde(deserialize_with = "id_text")]
    pub dossier_id: String,
    pub dossier_no: String,
    pub dossier_status: String,
    #[serde(default)]
    pub dossier_sub_status: Option<String>,
    #[serde(default)]
    pub last_action_note: Option<String>,
}

/// `dossierId` is a number in their JSON; kept as text here.
fn id_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::String(s) if !s.is_empty() => Ok(s),
        other => Err(serde::de::Error::custom(format!("dossierId is not an id: {other}"))),
    }
}

#[derive(Deserialize, Debug)]
struct Search {
    #[serde(default)]
    data: Vec<Detail>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct FileEntry {
    #[serde(default)]
    reference_uid: String,
    #[serde(default)]
    display_name: String,
    /// 2: a result the agency issued (`DossierFileModel.dossierPartType`).
    #[serde(default)]
    dossier_part_type: Option<i64>,
}

/// `ServiceConfigResultsModel`: which procedure each agency receives.
#[derive(Deserialize, Debug)]
struct ServiceConfigs {
    #[serde(default)]
    data: Vec<ServiceConfig>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct ServiceConfig {
    service_code: String,
    gov_agency_code: String,
}

/// `PaymentFileModel`: what is to be paid.
#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Payment {
    payment_amount: Option<i64>,
}

#[derive(Deserialize, Debug)]
struct FileList {
    #[serde(default)]
    data: Vec<FileEntry>,
}

/// The driver.
pub struct OpenCps {
    config: Config,
    http: reqwest::Client,
}

/// A document's part number: `TP01`, `TP02`… by its place in the
/// procedure's list (from 1).
pub fn part_no(number: usize) -> String {
    format!("TP{number:02}")
}

/// How long a call a citizen waits on (withdraw, supplement) may take.
pub const CITIZEN_WAITS: Duration = Duration::from_secs(20);

/// The largest answer read (a page of a search, a dossier's details).
pub const MAX_ANSWER: usize = 4 * 1024 * 1024;

/// The e-form's part.
pub const FORM_PART: &str = "TK01";

/// The part of what a citizen sends when more is asked for (status 5).
pub const SUPPLEMENT_PART: &str = "BS01";

impl OpenCps {
    pub fn new(config: Config) -> anyhow::Result<OpenCps> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()?;
        Ok(OpenCps { config, http })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.config.url))
            .basic_auth(&self.config.username, Some(&self.config.password))
            .header("groupId", &self.config.group_id)
            .header("Accept", "application/json")
    }

    /// Send; the body of a 2xx, or why not. An answer is read up to
    /// [`MAX_ANSWER`] whatever it declares: a back office gone wrong cannot
    /// fill the portal's memory.
    async fn send(&self, what: &str, rb: reqwest::RequestBuilder) -> Result<String, Failure> {
        let mut res = rb.send().await.map_err(|e| Failure::Away(format!("{what}: {e}")))?;
        let status = res.status();
        let mut body = Vec::new();
        while let Some(chunk) =
            res.chunk().await.map_err(|e| Failure::Away(format!("{what}: {e}")))?
        {
            if body.len() + chunk.len() > MAX_ANSWER {
                return Err(Failure::Refused(format!("{what}: an answer larger than 4 MB")));
            }
            body.extend_from_slice(&chunk);
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        let short: String = text.chars().take(300).collect();
        match status.as_u16() {
            200..=202 | 204 => Ok(text),
            203 | 401 => Err(Failure::Refused(format!(
                "{what}: {status}: the account or groupId is not accepted ({short})"
            ))),
            500..=599 | 408 | 429 => Err(Failure::Away(format!("{what}: {status}: {short}"))),
            _ => {
                // `{code, message, description}`: the description says why.
                let why = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|v| v.get("description").and_then(|d| d.as_str()).map(String::from))
                    .unwrap_or(short);
                Err(Failure::Refused(format!("{what}: {status}: {why}")))
            }
        }
    }

    fn parse<T: for<'de> Deserialize<'de>>(what: &str, text: &str) -> Result<T, Failure> {
        serde_json::from_str(text).map_err(|e| {
            Failure::Refused(format!("{what}: answer not of the published shape: {e}"))
        })
    }

    /// The dossier created under our code, if there is one.
    pub async fn find(&self, code: &str) -> Result<Option<Detail>, Failure> {
        let rb = self.req(reqwest::Method::GET, "/dossiers").query(&[("dossierNo", code)]);
        let text = self.send("GET /dossiers?dossierNo", rb).await?;
        let found: Search = Self::parse("GET /dossiers?dossierNo", &text)?;
        Ok(found.data.into_iter().find(|d| d.dossier_no == code))
    }

    pub async fn detail(&self, id: &str) -> Result<Detail, Failure> {
        let what = "GET /dossiers/{id}";
        let text =
            self.send(what, self.req(reqwest::Method::GET, &format!("/dossiers/{id}"))).await?;
        Self::parse(what, &text)
    }

    /// `POST /dossiers` with the fields of `DossierInputModel`.
    pub async fn create(&self, f: &Filing) -> Result<Detail, Failure> {
        let r = &f.receipt;
        let (service, template) = self
            .config
            .services
            .get(&r.procedure_code)
            .cloned()
            .unwrap_or_else(|| (r.procedure_code.clone(), r.procedure_code.clone()));
        let a = &r.applicant;
        let (via_postal, postal_address) = match &r.delivery {
            contract::dossier::Delivery::Post { address } => ("2", address.as_str()),
            _ => ("0", ""),
        };
        let form: Vec<(&str, &str)> = vec![
            ("referenceUid", &r.code),
            ("dossierNo", &r.code),
            ("serviceCode", &service),
            ("govAgencyCode", &r.agency_code),
            ("dossierTemplateNo", &template),
            ("applicantName", &a.full_name),
            ("applicantIdType", "citizen"),
            ("applicantIdNo", &a.citizen_id),
            ("address", &a.address),
            ("contactName", &a.full_name),
            ("contactTelNo", &a.phone),
            ("contactEmail", &a.email),
            ("applicantNote", &f.request.request),
            ("online", "true"),
            ("originality", "1"),
            ("viaPostal", via_postal),
            ("postalAddress", postal_address),
        ];
        let what = "POST /dossiers";
        let text =
            self.send(what, self.req(reqwest::Method::POST, "/dossiers").form(&form)).await?;
        let d: Detail = Self::parse(what, &text)?;
        if d.dossier_no != r.code {
            return Err(Failure::Refused(format!(
                "{what}: the site gave dossierNo {:?}, not ours ({}): set it to keep the number it is given",
                d.dossier_no, r.code
            )));
        }
        Ok(d)
    }

    /// The files it has for a dossier (ours and its own).
    async fn file_list(&self, id: &str) -> Result<Vec<FileEntry>, Failure> {
        let what = "GET /dossiers/{id}/files";
        let rb = self.req(reqwest::Method::GET, &format!("/dossiers/{id}/files"));
        let text = self.send(what, rb).await?;
        let list: FileList = Self::parse(what, &text)?;
        Ok(list.data)
    }

    /// The references of the files it already has.
    pub async fn files(&self, id: &str) -> Result<Vec<String>, Failure> {
        Ok(self.file_list(id).await?.into_iter().map(|f| f.reference_uid).collect())
    }

    /// One multipart file upload: `file.id` is its reference there.
    pub async fn upload(
        &self,
        id: &str,
        part: &str,
        file: &FileOut,
        form_data: Option<&str>,
    ) -> Result<(), Failure> {
        let body = reqwest::multipart::Part::bytes(file.bytes.clone())
            .file_name(file.name.clone())
            .mime_str(&file.mime)
            .map_err(|e| Failure::Refused(format!("file type {}: {e}", file.mime)))?;
        let mut mp = reqwest::multipart::Form::new()
            .part("file", body)
            .text("dossierPartNo", part.to_string())
            .text("referenceUid", file.id.clone())
            .text("displayName", file.name.clone())
            .text("fileType", file.mime.clone())
            .text("isSync", "true");
        if let Some(data) = form_data {
            mp = mp.text("formData", data.to_string()).text("eForm", "true");
        }
        let rb = self.req(reqwest::Method::POST, &format!("/dossiers/{id}/files")).multipart(mp);
        self.send("POST /dossiers/{id}/files", rb).await.map(|_| ())
    }

    pub async fn submit(&self, id: &str) -> Result<Detail, Failure> {
        let what = "POST /dossiers/{id}/submit";
        let rb = self.req(reqwest::Method::POST, &format!("/dossiers/{id}/submit"));
        let text = self.send(what, rb).await?;
        Self::parse(what, &text)
    }

    /// `standing_of`, with the amount to pay read at status 6
    /// (`GET /dossiers/{id}/payment`, `paymentAmount`).
    async fn standing_now(&self, d: &Detail) -> Result<Standing, Failure> {
        let mut s = self.standing_of(d)?;
        if s.national == 6 {
            let what = "GET /dossiers/{id}/payment";
            let rb = self.req(reqwest::Method::GET, &format!("/dossiers/{}/payment", d.dossier_id));
            let p: Payment = Self::parse(what, &self.send(what, rb).await?)?;
            s.amount = p.payment_amount.filter(|a| *a > 0).map(|a| a as u64);
            if s.amount.is_none() {
                return Err(Failure::Refused(format!("{what}: no paymentAmount at status 6")));
            }
        }
        Ok(s)
    }

    /// What the status table says of `d`; an unmapped status is refused
    /// by name (the province adds it to its table).
    pub fn standing_of(&self, d: &Detail) -> Result<Standing, Failure> {
        let sub = d.dossier_sub_status.clone().unwrap_or_default();
        let national = self.config.statuses.national(&d.dossier_status, &sub).ok_or_else(|| {
            Failure::Refused(format!(
                "status {:?}/{sub:?} is not in the status table (--opencps-status-map)",
                d.dossier_status
            ))
        })?;
        Ok(Standing {
            remote_id: d.dossier_id.clone(),
            national,
            words: if sub.is_empty() {
                d.dossier_status.clone()
            } else {
                format!("{}/{sub}", d.dossier_status)
            },
            note: d.last_action_note.clone().unwrap_or_default().chars().take(500).collect(),
            amount: None,
        })
    }

    async fn hand_over_inner(&self, f: &Filing) -> Result<Standing, Failure> {
        let code = &f.receipt.code;
        let d = match self.find(code).await? {
            Some(d) => d,
            None => self.create(f).await?,
        };
        let id = d.dossier_id.clone();
        let have = self.files(&id).await?;
        for d in &f.documents {
            for file in d.files.iter().filter(|file| !have.contains(&file.id)) {
                self.upload(&id, &part_no(d.number), file, None).await?;
            }
        }
        if let Some(form) = &f.form {
            let file = FileOut {
                id: format!("{code}-TK"),
                name: "to-khai.json".into(),
                mime: "application/json".into(),
                bytes: form.as_bytes().to_vec(),
            };
            if !have.contains(&file.id) {
                self.upload(&id, FORM_PART, &file, Some(form)).await?;
            }
        }
        let d = if d.dossier_status == "new" { self.submit(&id).await? } else { d };
        self.standing_now(&d).await
    }
}

impl BackOffice for OpenCps {
    fn name(&self) -> &'static str {
        "opencps"
    }

    fn hand_over<'a>(&'a self, f: &'a Filing) -> Fut<'a, Result<Standing, Failure>> {
        Box::pin(self.hand_over_inner(f))
    }

    fn standing<'a>(
        &'a self,
        _code: &'a str,
        remote_id: &'a str,
    ) -> Fut<'a, Result<Standing, Failure>> {
        Box::pin(async move {
            let d = self.detail(remote_id).await?;
            self.standing_now(&d).await
        })
    }

    fn report_payment<'a>(
        &'a self,
        remote_id: &'a str,
        paid: &'a crate::store::payments::Unreported,
    ) -> Fut<'a, Result<(), Failure>> {
        Box::pin(async move {
            // As OpenCPS's own pay-gate integration marks a payment the
            // national platform confirmed: status 5 ("xác nhận hoàn thành
            // thu phí"), method KeyPayDVCQG, the platform's answer kept.
            let note = format!(
                "Đã nộp trực tuyến qua Nền tảng thanh toán: mã giao dịch {}, {}, biên lai {}",
                paid.transaction, paid.bank, paid.receipt
            );
            let payload = serde_json::json!({
                "MaThamChieu": paid.reference, "MaGiaoDich": paid.transaction,
                "MaNganHang": paid.bank, "SoTien": paid.amount,
                "ThoiGianGD": crate::payment::gd_time(paid.paid_at), "BienLai": paid.receipt,
            })
            .to_string();
            let amount = paid.amount.to_string();
            let rb =
                self.req(reqwest::Method::PUT, &format!("/dossiers/{remote_id}/payment")).form(&[
                    ("paymentStatus", "5"),
                    ("paymentMethod", "KeyPayDVCQG"),
                    ("paymentAmount", amount.as_str()),
                    ("paymentNote", note.as_str()),
                    ("confirmPayload", payload.as_str()),
                ]);
            self.send("PUT /dossiers/{id}/payment", rb).await.map(|_| ())
        })
    }

    fn book<'a>(
        &'a self,
        b: &'a crate::store::bookings::Row,
    ) -> Fut<'a, Result<Option<String>, Failure>> {
        Box::pin(async move {
            // `BookingManagement.addBooking`: one booking per className +
            // classPK (ours: the booking's row), updated when sent again. Its
            // own time is reckoned by OpenCPS from its BOOKING_CONFIG, so the
            // slot we gave goes in the name its officers read, with our code.
            let name = format!(
                "{} ({}–{}, mã {})",
                b.full_name,
                contract::appointments::hm(b.start_min),
                contract::appointments::hm(b.end_min),
                contract::appointments::show_code(&b.code)
            );
            let (pk, date) = (b.id.to_string(), crate::appointments::day_dmy(&b.day));
            let rb = self.req(reqwest::Method::POST, "/bookings").form(&[
                ("className", BOOKING_CLASS),
                ("classPK", pk.as_str()),
                ("serviceCode", b.procedure.as_str()),
                ("codeNumber", b.code.as_str()),
                ("bookingName", name.as_str()),
                ("bookingDate", date.as_str()),
                ("state", "0"),
                ("online", "true"),
                ("telNo", b.phone.as_str()),
                ("bypassCaptcha", "true"),
                ("groupIdBooking", self.config.group_id.as_str()),
            ]);
            let body = self.send("POST /bookings", rb).await?;
            let v: serde_json::Value = serde_json::from_str(&body)
                .map_err(|_| Failure::Refused("POST /bookings: not JSON".into()))?;
            match &v["bookingId"] {
                serde_json::Value::Number(n) => Ok(Some(n.to_string())),
                serde_json::Value::String(s) if !s.is_empty() => Ok(Some(s.clone())),
                _ => Err(Failure::Refused("POST /bookings: no bookingId in the answer".into())),
            }
        })
    }

    fn cancel_booking<'a>(&'a self, remote: &'a str) -> Fut<'a, Result<(), Failure>> {
        Box::pin(async move {
            let rb = self.req(reqwest::Method::DELETE, &format!("/bookings/{remote}"));
            self.send("DELETE /bookings/{id}", rb).await.map(|_| ())
        })
    }

    fn withdraw<'a>(&'a self, remote_id: &'a str, reason: &'a str) -> Fut<'a, Result<(), Failure>> {
        Box::pin(async move {
            // A citizen waits for this answer: not for long.
            let rb = self
                .req(reqwest::Method::POST, &format!("/dossiers/{remote_id}/cancelling"))
                .timeout(CITIZEN_WAITS)
                .form(&[("reason", reason)]);
            self.send("POST /dossiers/{id}/cancelling", rb).await.map(|_| ())
        })
    }

    fn supplement<'a>(
        &'a self,
        remote_id: &'a str,
        files: &'a [FileOut],
        note: &'a str,
    ) -> Fut<'a, Result<(), Failure>> {
        Box::pin(async move {
            let have = self.files(remote_id).await?;
            for file in files.iter().filter(|f| !have.contains(&f.id)) {
                self.upload(remote_id, SUPPLEMENT_PART, file, None).await?;
            }
            let rb = self
                .req(reqwest::Method::POST, &format!("/dossiers/{remote_id}/submitting"))
                .timeout(CITIZEN_WAITS)
                .body(note.to_string());
            self.send("POST /dossiers/{id}/submitting", rb).await.map(|_| ())
        })
    }

    fn offer(&self) -> Fut<'_, Result<Vec<(String, String)>, Failure>> {
        Box::pin(async move {
            let what = "GET /serviceconfigs";
            let rb = self
                .req(reqwest::Method::GET, "/serviceconfigs")
                .query(&[("start", "0"), ("end", "10000")]);
            let list: ServiceConfigs = Self::parse(what, &self.send(what, rb).await?)?;
            // Their service codes back to ours (the services table, else the same code).
            let mut ours: HashMap<&str, Vec<&str>> = HashMap::new();
            for (procedure, (service, _)) in &self.config.services {
                ours.entry(service.as_str()).or_default().push(procedure.as_str());
            }
            let mut out = Vec::new();
            for c in &list.data {
                let procedures = ours
                    .get(c.service_code.as_str())
                    .cloned()
                    .unwrap_or_else(|| vec![c.service_code.as_str()]);
                for p in procedures {
                    out.push((p.to_string(), c.gov_agency_code.clone()));
                }
            }
            Ok(out)
        })
    }

    fn results<'a>(&'a self, remote_id: &'a str) -> Fut<'a, Result<Vec<IssuedResult>, Failure>> {
        Box::pin(async move {
            let list = self.file_list(remote_id).await?;
            Ok(list
                .into_iter()
                .filter(|f| f.dossier_part_type == Some(2) && !f.reference_uid.is_empty())
                .map(|f| IssuedResult { reference: f.reference_uid, name: f.display_name })
                .collect())
        })
    }

    fn result_file<'a>(
        &'a self,
        remote_id: &'a str,
        reference: &'a str,
    ) -> Fut<'a, Result<Vec<u8>, Failure>> {
        Box::pin(async move {
            let what = "GET /dossiers/{id}/files/{referenceUid}";
            let path = format!("/dossiers/{remote_id}/files/{reference}");
            let mut res = self
                .req(reqwest::Method::GET, &path)
                .send()
                .await
                .map_err(|e| Failure::Away(format!("{what}: {e}")))?;
            if !res.status().is_success() {
                let status = res.status();
                return Err(if status.is_server_error() {
                    Failure::Away(format!("{what}: {status}"))
                } else {
                    Failure::Refused(format!("{what}: {status}"))
                });
            }
            // Read under the cap, whatever length it declares.
            let mut bytes = Vec::new();
            while let Some(chunk) =
                res.chunk().await.map_err(|e| Failure::Away(format!("{what}: {e}")))?
            {
                if bytes.len() + chunk.len() > super::MAX_RESULT_BYTES {
                    return Err(Failure::Refused(format!("{what}: larger than 30 MB")));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(bytes)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_without_a_field_is_refused_by_its_name() {
        let e = OpenCps::parse::<Detail>("GET", r#"{"dossierId":5,"dossierNo":"X"}"#).unwrap_err();
        assert!(e.to_string().contains("dossierStatus"), "{e}");
        let d: Detail =
            OpenCps::parse("GET", r#"{"dossierId":5,"dossierNo":"X","dossierStatus":"new"}"#)
                .unwrap();
        assert_eq!(d.dossier_id, "5");
    }
}

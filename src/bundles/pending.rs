//! Files chosen but not yet on the portal, kept in IndexedDB (in the
//! browser, on this device) until their upload succeeds: a reload, a closed
//! tab or a dropped connection never loses a photographed page.

use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const DB: &str = crate::storage::FILES_DB;
const STORE: &str = "pending";

/// A file waiting to be uploaded for document `doc` of `procedure`.
#[derive(Clone)]
pub struct Pending {
    pub id: String,
    pub procedure: String,
    pub doc: String,
    pub name: String,
    pub blob: web_sys::Blob,
}

/// Await an IndexedDB request's result.
async fn done(req: &web_sys::IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let fail = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await?;
    req.result()
}

async fn open() -> Result<web_sys::IdbDatabase, JsValue> {
    let factory = crate::storage::indexed_db().ok_or(JsValue::NULL)?;
    let req = factory.open_with_u32(DB, 1)?;
    let upgrade = Closure::<dyn Fn(web_sys::IdbVersionChangeEvent)>::new(
        move |e: web_sys::IdbVersionChangeEvent| {
            let db = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok());
            if let Some(db) = db {
                if !db.object_store_names().contains(STORE) {
                    let params = web_sys::IdbObjectStoreParameters::new();
                    params.set_key_path(&JsValue::from_str("id"));
                    let _ = db.create_object_store_with_optional_parameters(STORE, &params);
                }
            }
        },
    );
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = done(&req).await?;
    drop(upgrade);
    db.dyn_into()
}

fn store(
    db: &web_sys::IdbDatabase,
    mode: web_sys::IdbTransactionMode,
) -> Result<web_sys::IdbObjectStore, JsValue> {
    db.transaction_with_str_and_mode(STORE, mode)?.object_store(STORE)
}

/// Keep `p` until it is uploaded (best effort: without IndexedDB the file
/// simply is not kept).
pub async fn put(p: &Pending) {
    let Ok(db) = open().await else { return };
    let value = Object::new();
    for (k, v) in [("id", &p.id), ("procedure", &p.procedure), ("doc", &p.doc), ("name", &p.name)] {
        let _ = Reflect::set(&value, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    let _ = Reflect::set(&value, &JsValue::from_str("blob"), &p.blob);
    if let Ok(s) = store(&db, web_sys::IdbTransactionMode::Readwrite) {
        if let Ok(req) = s.put(&value) {
            let _ = done(&req).await;
        }
    }
}

pub async fn remove(id: &str) {
    let Ok(db) = open().await else { return };
    if let Ok(s) = store(&db, web_sys::IdbTransactionMode::Readwrite) {
        if let Ok(req) = s.delete(&JsValue::from_str(id)) {
            let _ = done(&req).await;
        }
    }
}

/// The files waiting for `procedure`'s dossier.
pub async fn list(procedure: &str) -> Vec<Pending> {
    let Ok(db) = open().await else {
        return Vec::new();
    };
    let Ok(s) = store(&db, web_sys::IdbTransactionMode::Readonly) else {
        return Vec::new();
    };
    let Ok(req) = s.get_all() else {
        return Vec::new();
    };
    let Ok(all) = done(&req).await else {
        return Vec::new();
    };
    let text = |v: &JsValue, k: &str| {
        Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|x| x.as_string()).unwrap_or_default()
    };
    js_sys::Array::from(&all)
        .iter()
        .filter_map(|v| {
            let blob = Reflect::get(&v, &JsValue::from_str("blob")).ok()?.dyn_into().ok()?;
            Some(Pending {
                id: text(&v, "id"),
                procedure: text(&v, "procedure"),
                doc: text(&v, "doc"),
                name: text(&v, "name"),
                blob,
            })
        })
        .filter(|p| p.procedure == procedure)
        .collect()
}

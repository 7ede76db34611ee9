//! Reference portal: implements the Một Cửa API on SQLite and serves the app.

pub mod api;
pub mod catalog;
pub mod db;
pub mod error;
pub mod web;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use tower_http::compression::CompressionLayer;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub dev: bool,
    pub list_cache: Arc<api::ListCache>,
    /// Content-Security-Policy violations reported by browsers (kept for `--dev` inspection).
    pub csp_reports: Arc<std::sync::Mutex<Vec<String>>>,
}

impl AppState {
    pub fn new(db: db::Db, dev: bool) -> Self {
        AppState {
            db,
            dev,
            list_cache: Arc::default(),
            csp_reports: Arc::default(),
        }
    }
}

/// The whole portal: API, then the app for every other path.
pub fn app(state: AppState, dist: &Path) -> Router {
    let site = web::Site::new(dist);
    api::router(state)
        .fallback_service(axum::routing::any(web::serve).with_state(site.clone()))
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(axum::middleware::from_fn_with_state(site, web::headers))
}

#[cfg(test)]
mod tests;

//! End-to-end tests live in `tests/`; `cargo xtask test` starts the portal
//! (fresh SQLite file, release build of the app) and chromedriver, then runs them.

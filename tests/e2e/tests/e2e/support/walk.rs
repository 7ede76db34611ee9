//! A journey as a list of steps: what a person sees and does, one step a
//! line, so a scenario reads as the path it takes through the app rather
//! than as the driver's calls.

use fantoccini::{Client, Locator};

use super::{
    assert_accessible, click, declare, fill, jpeg, keep_shot, open, send_keys, submit_form,
    wait_js, wait_text, wait_url,
};

/// One thing a person does or sees.
pub enum Step<'a> {
    /// Go to this path.
    Open(&'a str),
    /// Wait until the address holds this.
    Url(&'a str),
    /// Wait until the page's heading says this.
    Page(&'a str),
    /// Wait until the element (CSS) says this.
    See(&'a str, &'a str),
    /// Type into the field (CSS), replacing what it held.
    Fill(&'a str, &'a str),
    /// Click the element (CSS).
    Click(&'a str),
    /// Attach a small JPEG of this name to the file input (by id).
    Attach(&'a str, &'a str),
    /// Wait until the script returns true (what it waits for, for the failure).
    Until(&'a str, &'a str),
    /// Press the page form's submit button.
    Submit,
    /// Tick the declaration on the check page.
    Declare,
    /// axe-core finds nothing on the page (named in the failure).
    Axe(&'a str),
    /// Keep a screenshot under this name.
    Shot(&'a str),
}

/// Take the steps in order; each waits as its helper does.
pub async fn walk(c: &Client, steps: &[Step<'_>]) {
    for step in steps {
        match *step {
            Step::Open(path) => open(c, path).await,
            Step::Url(part) => wait_url(c, part).await,
            Step::Page(text) => wait_text(c, "main h1", text).await,
            Step::See(css, text) => wait_text(c, css, text).await,
            Step::Fill(css, text) => fill(c, css, text).await,
            Step::Click(css) => click(c, css).await,
            Step::Attach(id, name) => send_keys(c, Locator::Id(id), &jpeg(name)).await,
            Step::Until(script, what) => wait_js(c, script, what).await,
            Step::Submit => submit_form(c).await,
            Step::Declare => declare(c).await,
            Step::Axe(page) => assert_accessible(c, page).await,
            Step::Shot(name) => keep_shot(c, name).await,
        }
    }
}

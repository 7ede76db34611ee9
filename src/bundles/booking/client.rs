//! Appointments: a desk's calendar, booking, the tickets, and the kiosk's
//! queue numbers.

use contract::appointments::{Calendar, CheckIn, NewBooking, QueueTicket, Ticket};

use crate::api::{decode, get_json, json, send_text, FetchError};

pub async fn calendar(base: &str, desk: &str, procedure: &str) -> Result<Calendar, FetchError> {
    let (desk, procedure) =
        (crate::router::percent_encode(desk), crate::router::percent_encode(procedure));
    get_json(base, &format!("/desks/{desk}/calendar?procedure={procedure}")).await
}

pub async fn book(base: &str, req: &NewBooking) -> Result<Ticket, FetchError> {
    decode(&send_text("POST", base, "/bookings", json(req)).await?)
}

pub async fn move_to(base: &str, code: &str, date: &str, slot: &str) -> Result<Ticket, FetchError> {
    #[derive(serde::Serialize)]
    struct MoveTo<'a> {
        date: &'a str,
        slot: &'a str,
    }
    let body = json(&MoveTo { date, slot });
    decode(&send_text("POST", base, &format!("/bookings/{code}/move"), body).await?)
}

pub async fn mine(base: &str) -> Result<Vec<Ticket>, FetchError> {
    get_json(base, "/bookings").await
}

pub async fn ticket(base: &str, code: &str) -> Result<Ticket, FetchError> {
    get_json(base, &format!("/bookings/{code}")).await
}

pub async fn cancel(base: &str, code: &str) -> Result<(), FetchError> {
    send_text("DELETE", base, &format!("/bookings/{code}"), None).await?;
    Ok(())
}

pub async fn check_in(base: &str, req: &CheckIn) -> Result<QueueTicket, FetchError> {
    decode(&send_text("POST", base, "/queue/check-in", json(req)).await?)
}

pub async fn walk_in(base: &str, desk: &str) -> Result<QueueTicket, FetchError> {
    #[derive(serde::Serialize)]
    struct WalkIn<'a> {
        desk: &'a str,
    }
    decode(&send_text("POST", base, "/queue/walk-in", json(&WalkIn { desk })).await?)
}

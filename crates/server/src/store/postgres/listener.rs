//! Live counts and changed consultations across servers: one connection of its own per
//! server runs `LISTEN` on the channels that every submit and deletion of answers, and every
//! edit, change of state and deletion of a consultation, notifies inside its transaction, so
//! PostgreSQL delivers a notification only once its write is committed, to every server
//! alike. They are passed on to this server's subscribers; the connection is made again if
//! it drops, and then what was committed while nobody listened is caught up with: the
//! counts of every consultation are passed on once, and every consultation is said changed.

use super::super::{PollChange, PollCount, StoreError};
use concerto_core::PollId;
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_postgres::{AsyncMessage, Config, NoTls};

/// The channel submits and deletions of answers notify.
pub(super) const CHANNEL: &str = "concerto_counts";

/// The channel edits, changes of state and deletions of consultations notify, with the
/// consultation's id.
pub(super) const POLLS_CHANNEL: &str = "concerto_polls";

/// First wait before connecting again; doubled up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The payload of one notification: the count, a space, the consultation's id.
pub(super) fn payload(count: &PollCount) -> String {
    format!("{} {}", count.responses, count.poll)
}

/// [`payload`] as the database writes it, from a row of `polls`.
macro_rules! payload_sql {
    () => {
        "response_count::text || ' ' || id"
    };
}

/// Notifies (`$1` the channel, `$2` the consultation) the count as the transaction sees it,
/// built by the database so that it can be sent with the statements before it.
pub(super) const NOTIFY_CURRENT: &str = concat!(
    "SELECT pg_notify($1, ",
    payload_sql!(),
    ") FROM polls WHERE id = $2"
);

/// Every count an answer or a deletion may have moved (drafts take no answers).
const CURRENT_COUNTS: &str = concat!(
    "SELECT ",
    payload_sql!(),
    " FROM polls WHERE state <> 'draft'"
);

fn parse(payload: &str) -> Option<PollCount> {
    let (responses, poll) = payload.split_once(' ')?;
    Some(PollCount {
        poll: PollId::parse(poll).ok()?,
        responses: responses.parse().ok()?,
    })
}

/// Where what is heard goes: no subscriber is not an error.
#[derive(Clone)]
pub(super) struct Events {
    /// Live counts.
    pub(super) counts: broadcast::Sender<PollCount>,
    /// Consultations changed.
    pub(super) changes: broadcast::Sender<PollChange>,
}

impl Events {
    fn count(&self, count: PollCount) {
        let _ = self.counts.send(count);
    }

    fn change(&self, change: PollChange) {
        let _ = self.changes.send(change);
    }
}

/// Stops the listening task when the last handle to the store goes.
pub(super) struct Listener {
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Connects, listens, and keeps listening in a task of its own, passing what it hears to
/// `events`. Returns once the first `LISTEN` is in place, so that nothing committed after the
/// store is open is missed.
pub(super) async fn start(config: &Config, events: Events) -> Result<Listener, StoreError> {
    let mut config = config.clone();
    config.application_name("concerto-listener");
    // A database that vanished without closing the connection (a cut network) is noticed
    // within a minute or so rather than the system's two hours.
    config.keepalives(true);
    config.keepalives_idle(Duration::from_secs(30));
    config.keepalives_interval(Duration::from_secs(10));
    config.keepalives_retries(3);
    let (ready, first) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(run(config, events, ready));
    match first.await {
        Ok(Ok(())) => Ok(Listener { task }),
        Ok(Err(e)) => {
            task.abort();
            Err(e)
        }
        Err(_) => Err(StoreError::Unavailable),
    }
}

async fn run(
    config: Config,
    events: Events,
    ready: tokio::sync::oneshot::Sender<Result<(), StoreError>>,
) {
    let mut ready = Some(ready);
    let mut backoff = FIRST_BACKOFF;
    loop {
        let listened = listen(&config, &events, &mut ready, &mut backoff).await;
        if let Some(ready) = ready.take() {
            // The first connection failed: the store does not open.
            let _ = ready.send(listened.map_err(|e| {
                StoreError::Database(format!(
                    "cannot listen for live counts: {}",
                    super::describe(&e)
                ))
            }));
            return;
        }
        match listened {
            Ok(()) => tracing::warn!("live counts: the database closed the connection"),
            Err(e) => tracing::warn!(error = super::describe(&e), "live counts: connection lost"),
        }
        // What is committed until the next LISTEN is not heard: `listen` catches up once it
        // listens again. Meanwhile consultations kept in memory expire as they would
        // without notifications.
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// One connection's life: `LISTEN`, then notifications until it ends. `backoff` starts again from
/// its first step once listening, so that a later drop is retried quickly.
async fn listen(
    config: &Config,
    events: &Events,
    ready: &mut Option<tokio::sync::oneshot::Sender<Result<(), StoreError>>>,
    backoff: &mut Duration,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
    let sql = format!("LISTEN {CHANNEL}; LISTEN {POLLS_CHANNEL}");
    if alongside(client.batch_execute(&sql), &mut messages, events)
        .await?
        .is_none()
    {
        return Ok(());
    }
    *backoff = FIRST_BACKOFF;
    match ready.take() {
        Some(ready) => {
            let _ = ready.send(Ok(()));
        }
        None => {
            tracing::info!("live counts: listening again");
            // Any consultation may have changed unheard: nothing kept of them is trusted.
            events.change(PollChange::All);
            // Read after LISTEN, so that nothing committed since is missed; a count read
            // here may be older than one just notified, which subscribers already ignore
            // (counts are totals, and they keep the highest).
            let Some(rows) =
                alongside(client.query(CURRENT_COUNTS, &[]), &mut messages, events).await?
            else {
                return Ok(());
            };
            for row in rows {
                if let Some(count) = row.try_get::<_, &str>(0).ok().and_then(parse) {
                    events.count(count);
                }
            }
        }
    }
    while let Some(message) = messages.next().await {
        pass_on(message?, events);
    }
    // `client` lives until here: dropping it would close the connection.
    drop(client);
    Ok(())
}

/// Runs `request` to its end while passing on the notifications that arrive meanwhile: the
/// connection only makes progress while its messages are read. `None` when the connection
/// ended first.
async fn alongside<T>(
    request: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
    messages: &mut (
             impl futures_util::Stream<Item = Result<AsyncMessage, tokio_postgres::Error>> + Unpin
         ),
    events: &Events,
) -> Result<Option<T>, tokio_postgres::Error> {
    tokio::pin!(request);
    loop {
        tokio::select! {
            done = &mut request => return done.map(Some),
            message = messages.next() => match message {
                Some(Ok(message)) => pass_on(message, events),
                Some(Err(e)) => return Err(e),
                None => return Ok(None),
            },
        }
    }
}

fn pass_on(message: AsyncMessage, events: &Events) {
    let AsyncMessage::Notification(n) = message else {
        return;
    };
    if n.channel() == CHANNEL {
        match parse(n.payload()) {
            Some(count) => events.count(count),
            None => tracing::warn!(
                payload = n.payload(),
                "live counts: unreadable notification"
            ),
        }
    } else if n.channel() == POLLS_CHANNEL {
        match PollId::parse(n.payload()) {
            Ok(poll) => events.change(PollChange::Changed(poll)),
            // Something changed, but not a consultation this server can name: forgetting
            // them all is never wrong.
            Err(_) => {
                tracing::warn!(
                    payload = n.payload(),
                    "changed consultations: unreadable notification"
                );
                events.change(PollChange::All);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_reads_back_as_its_count() {
        let count = PollCount {
            poll: PollId::parse("marche-2026").unwrap(),
            responses: 42,
        };
        assert_eq!(parse(&payload(&count)), Some(count));
    }

    #[test]
    fn a_foreign_payload_is_ignored() {
        for p in ["", "42", "x marche", "-1 marche", "1 bad id!"] {
            assert_eq!(parse(p), None, "{p:?}");
        }
    }
}

//! The store's contract: what every backend must do, written once against the traits and run
//! on each backend: SQLite always, PostgreSQL when `CONCERTO_TEST_DATABASE_URL` names a
//! server the tests may create databases on (`cargo xtask test` starts one).

mod contract;
mod pg;
mod postgres_only;
mod processes;
mod servers;

use concerto_server::store;
use std::sync::Arc;

/// A fresh SQLite store in a temporary directory (kept alive with the store).
fn sqlite() -> (tempfile::TempDir, Arc<dyn store::Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open_sqlite(dir.path()).unwrap();
    (dir, store)
}

macro_rules! contract_on_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (_dir, store) = super::sqlite();
                    super::contract::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::pg::with_store(super::contract::$name).await;
                }
            )*
        }
    };
}

/// One server uses a SQLite file and forgets what it changes itself: the store says at once
/// that it will tell of no other change, so that nothing waits on it.
#[tokio::test]
async fn a_sqlite_store_tells_of_no_changes() {
    let (_dir, store) = sqlite();
    let mut changes = store.poll_changes();
    assert_eq!(
        changes.try_recv(),
        Err(tokio::sync::broadcast::error::TryRecvError::Closed)
    );
}

contract_on_each_backend!(
    organisations_and_tokens,
    consultations_stay_with_their_organisation,
    an_edit_checked_against_a_count_is_refused_once_answers_moved,
    an_answer_is_stored_once_and_replays_get_the_same_receipt,
    concurrent_retries_of_one_submission_store_one_answer,
    answers_page_newest_first_and_filter_by_choice,
    deleting_answers_updates_the_tallies_and_is_logged,
    deleting_a_consultation_takes_its_answers,
    texts_page_in_order,
    invitations_are_used_once,
    sessions_live_and_end,
    a_store_that_can_write_says_so,
    an_answer_checked_against_an_old_version_is_stale,
    rival_answers_under_one_submission_id_store_the_acknowledged_one,
    a_participation_code_is_used_by_one_answer_only,
    partners_are_invited_accept_and_end,
    partnerships_are_those_not_ended_newest_first,
    answers_keep_the_partner_and_the_door_they_came_through,
    the_directory_lists_the_other_organisations_by_name,
);

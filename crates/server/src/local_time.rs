//! The town's clock time: instants as the store keeps them (`time`, UTC) read in a time zone
//! (`jiff`, with its bundled database), for exports, the timeline and the dates residents read.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use time::OffsetDateTime;

/// `at` in `zone`, to the second (spreadsheets and people read no more).
pub fn in_zone(at: OffsetDateTime, zone: &TimeZone) -> ZonedDateTime {
    Timestamp::from_second(at.unix_timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone())
}

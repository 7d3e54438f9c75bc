//! Starts the organiser dashboard; everything else is in the library.

fn main() {
    concerto_dashboard::start();
}

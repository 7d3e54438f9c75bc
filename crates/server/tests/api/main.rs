//! Black-box tests of the collection server over real HTTP: each test starts its own server
//! on a random port with a fresh data directory.

mod accounts;
mod answers;
mod codes;
mod connections;
mod cors;
mod errors;
mod export;
mod follow;
mod helpers;
mod isolation;
mod metrics;
mod openapi;
mod organiser;
mod partner_doors;
mod partners;
mod public_results;
mod qr;
mod site;
mod storage;
mod submit;

//! Exports: CSV (both separators), ODS and XLSX read back by reader libraries: formulas
//! neutralised in CSV and text kept as typed in typed cells, headers in the consultation's
//! language, times as local date-times, one column per option, file names, and streaming.

use crate::helpers::*;
use calamine::{Data, Ods, Range, Reader, Xlsx};
use concerto_core::{PollId, SubmissionId, validate};
use concerto_server::token;
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::io::Cursor;

/// An ISO 8601 time to the second with the offset of Paris (the default export time zone):
/// `2026-12-01T10:16:03+01:00`, within a minute of now.
fn assert_local_time(cell: &str) {
    let at = time::OffsetDateTime::parse(cell, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{cell}: {e}"));
    assert_eq!(cell.len(), 25, "to the second, with an offset: {cell}");
    assert!(
        cell.ends_with("+01:00") || cell.ends_with("+02:00"),
        "{cell}"
    );
    let age = time::OffsetDateTime::now_utc() - at;
    assert!(age.whole_seconds().abs() < 60, "{cell} is now");
}

#[tokio::test]
async fn the_csv_export_round_trips_through_a_csv_reader_with_formulas_neutralised() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();
    let answers = json!({
        "venue": {"other": "=HYPERLINK(\"http://evil.example\",\"clic\")"},
        "stands": {"options": ["fromage"]},
        "note": {"rating": 5},
        "nom": {"text": "@Zoé, \"la\" voisine"},
        "idee": {"text": "+33 6 12 34 56 78\nsur deux lignes"}
    });
    assert_eq!(app.submit(&id, &sid, &answers).await.status(), 201);
    assert_eq!(
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await
            .status(),
        201
    );

    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/export.csv"), Some(&tok))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let text = resp.text().await.unwrap();
    assert!(text.contains("\r\n"), "RFC 4180 line ends");

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, HEADER);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    let row = &rows[0];
    assert_eq!(row[0], sid);
    assert_local_time(&row[1]);
    assert_eq!(row[2], "");
    assert_eq!(row[3], "'=HYPERLINK(\"http://evil.example\",\"clic\")");
    assert_eq!(row[4], "Fromage");
    // One column per option: 1 where ticked.
    assert_eq!(row[5..8], ["", "1", ""]);
    assert_eq!(row[8], "5");
    assert_eq!(row[9], "'@Zoé, \"la\" voisine");
    assert_eq!(row[10], "'+33 6 12 34 56 78\nsur deux lignes");
    // Sent through the API with no partner and no door: the owner's, from a website.
    assert_eq!(row[11..13], ["", "site web"]);
    assert_eq!(rows[1][2], "Oui");
    assert_eq!(rows[1][4], "Fruits; Pain");
    assert_eq!(rows[1][5..8], ["1", "", "1"]);
}

#[tokio::test]
async fn the_json_export_holds_every_answer_as_sent() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();
    app.submit(&id, &sid, &sample_answers()).await;
    let export: Value = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["answers"][0]["submission_id"], sid.as_str());
    assert_eq!(export["answers"][0]["answers"], sample_answers());
    assert_local_time(export["answers"][0]["received_at"].as_str().unwrap());
    // The definition explains the ids the answers use.
    let questions = &export["consultation"]["questions"];
    assert_eq!(export["consultation"]["title"], "Le marché du samedi");
    assert_eq!(questions[0]["id"], "venue");
    assert_eq!(questions[0]["prompt"], "Venez-vous au marché ?");
    assert_eq!(questions[1]["options"][0]["id"], "fruits");
    assert_eq!(questions[1]["options"][0]["label"], "Fruits");
}

/// Stores `n` copies of `sample_answers` through the store itself: the HTTP path is tested
/// elsewhere, and this keeps large-export tests quick.
async fn store_many(app: &TestApp, id: &str, n: usize) {
    let poll = app
        .store
        .poll(&PollId::parse(id).unwrap())
        .await
        .unwrap()
        .unwrap();
    let answers = validate(
        &poll.spec.questions,
        &serde_json::from_value(sample_answers()).unwrap(),
    )
    .unwrap();
    let writes = (0..n).map(|i| {
        let store = app.store.clone();
        let (poll_id, answers) = (poll.id.clone(), answers.clone());
        async move {
            let sid = SubmissionId::from_random_bytes(token::random_bytes());
            store
                .submit(
                    &poll_id,
                    &sid,
                    &answers,
                    &format!("fp{i}"),
                    None,
                    None,
                    Default::default(),
                )
                .await
                .unwrap();
        }
    });
    futures_util::future::join_all(writes).await;
}

/// Reads a streamed body, checking it came without a length and in several chunks.
async fn read_streamed(resp: reqwest::Response) -> Vec<u8> {
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers().get("content-length").is_none(),
        "a streamed body has no length known in advance"
    );
    let mut chunks = 0;
    let mut bytes = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        chunks += 1;
        bytes.extend_from_slice(&chunk.unwrap());
    }
    assert!(chunks > 2, "expected several chunks, got {chunks}");
    bytes
}

#[tokio::test]
async fn an_export_of_many_answers_is_streamed_in_chunks() {
    const ANSWERS: usize = 3000;
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    store_many(&app, &id, ANSWERS).await;

    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/export.csv"), Some(&tok))
        .await;
    let bytes = read_streamed(resp).await;
    let rows = csv::Reader::from_reader(bytes.as_slice()).records().count();
    assert_eq!(rows, ANSWERS);

    let json: Value = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["answers"].as_array().unwrap().len(), ANSWERS);
}

/// Answers with a formula in every kind of text a resident can type, and a second, plain one.
async fn tricky_answers(app: &TestApp, id: &str) -> (String, String) {
    let (tricky, plain) = (new_submission_id(), new_submission_id());
    let answers = json!({
        "venue": {"other": "=HYPERLINK(\"http://evil.example\",\"clic\")"},
        "stands": {"options": ["fromage"]},
        "note": {"rating": 5},
        "nom": {"text": "@Zoé & <b>Léa</b>"},
        "idee": {"text": "-1+1\nsur  deux\tlignes \u{1}_x0041_"}
    });
    assert_eq!(app.submit(id, &tricky, &answers).await.status(), 201);
    assert_eq!(
        app.submit(id, &plain, &sample_answers()).await.status(),
        201
    );
    (tricky, plain)
}

/// The columns of the test consultation's exports, in its language.
const HEADER: [&str; 13] = [
    "Identifiant de la réponse",
    "Reçue le",
    "Venez-vous au marché ?",
    "Venez-vous au marché ? (autre réponse)",
    "Quels stands ?",
    "Quels stands ? — Fruits",
    "Quels stands ? — Fromage",
    "Quels stands ? — Pain",
    "Votre note",
    "Votre prénom",
    "Une idée ?",
    "Partenaire",
    "Provenance",
];

#[tokio::test]
async fn the_semicolon_csv_starts_with_a_bom_and_reads_back_with_a_semicolon_reader() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let (tricky, plain) = tricky_answers(&app, &id).await;
    let resp = app
        .get(
            &format!("/api/v1/org/polls/{id}/export.csv?separator=semicolon"),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark first");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, HEADER);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], tricky);
    assert_eq!(rows[0][3], "'=HYPERLINK(\"http://evil.example\",\"clic\")");
    assert_eq!(rows[0][9], "'@Zoé & <b>Léa</b>");
    assert!(rows[0][10].starts_with("'-1+1\n"));
    assert_eq!(rows[1][0], plain);
    assert_eq!(rows[1][4], "Fruits; Pain");

    // The default stays a plain comma CSV without a byte-order mark.
    let bytes = app
        .get(&format!("/api/v1/org/polls/{id}/export.csv"), Some(&tok))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(bytes.starts_with("Identifiant de la réponse,Reçue le,".as_bytes()));
}

#[tokio::test]
async fn an_unknown_separator_is_a_400_naming_it() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let resp = app
        .get(
            &format!("/api/v1/org/polls/{id}/export.csv?separator=tab"),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(fields(&problem(resp).await), vec!["separator"]);
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, got {other:?}"),
    }
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(n) => *n as f64,
        other => panic!("expected a number, got {other:?}"),
    }
}

/// Checks a spreadsheet's rows against `tricky_answers`: text exactly as typed (a text cell
/// is never evaluated, so nothing is neutralised), numbers as numbers.
fn check_sheet(range: &Range<Data>, tricky: &str, plain: &str) {
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 3, "a header and two answers");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header, HEADER);
    let row = rows[1];
    assert_eq!(text(&row[0]), tricky);
    assert_eq!(text(&row[2]), "");
    assert_eq!(
        text(&row[3]),
        "=HYPERLINK(\"http://evil.example\",\"clic\")"
    );
    assert_eq!(text(&row[4]), "Fromage");
    assert_eq!(row[5], Data::Empty);
    assert_eq!(number(&row[6]), 1.0);
    assert_eq!(number(&row[8]), 5.0, "ratings are numbers");
    assert_eq!(text(&row[9]), "@Zoé & <b>Léa</b>");
    // The control character XML forbids is dropped; everything else arrives as typed.
    assert_eq!(text(&row[10]), "-1+1\nsur  deux\tlignes _x0041_");
    assert_eq!(text(&rows[2][0]), plain);
    assert_eq!(text(&rows[2][2]), "Oui");
}

/// The local clock time (`YYYY-MM-DDTHH:MM:SS`) of the first answer, as the JSON export says.
async fn first_local_time(app: &TestApp, id: &str, tok: &str) -> String {
    let export: Value = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(tok))
        .await
        .json()
        .await
        .unwrap();
    export["answers"][0]["received_at"].as_str().unwrap()[..19].to_owned()
}

/// The parts of a zip package, by name.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut out).unwrap();
    out
}

#[tokio::test]
async fn the_ods_export_reads_back_with_every_answer_and_formulas_neutralised() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let (tricky, plain) = tricky_answers(&app, &id).await;
    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/export.ods"), Some(&tok))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.oasis.opendocument.spreadsheet"
    );
    let bytes = resp.bytes().await.unwrap();
    // The format's signature: a stored `mimetype` entry first (what `file` and others check).
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    assert_eq!(&bytes[30..38], b"mimetype");
    let mut book: Ods<_> = calamine::Reader::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("Réponses").unwrap();
    check_sheet(&range, &tricky, &plain);
    // The time is a date cell, in local clock time to the second.
    let local = first_local_time(&app, &id, &tok).await;
    assert_eq!(range.get((1, 1)), Some(&Data::DateTimeIso(local)));
    // The header is frozen and filterable.
    assert!(part(&bytes, "content.xml").contains(
        r#"table:target-range-address="Réponses.A1:Réponses.M3" table:display-filter-buttons="true""#
    ));
    let settings = part(&bytes, "settings.xml");
    assert!(settings.contains(r#"<config:config-item config:name="VerticalSplitMode" config:type="short">2</config:config-item>"#));
}

#[tokio::test]
async fn the_xlsx_export_reads_back_with_every_answer_ratings_as_numbers_and_formulas_neutralised()
{
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let (tricky, plain) = tricky_answers(&app, &id).await;
    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/export.xlsx"), Some(&tok))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = resp.bytes().await.unwrap();
    let mut book: Xlsx<_> = calamine::Reader::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("Réponses").unwrap();
    check_sheet(&range, &tricky, &plain);
    // The time is a date cell (a serial day number with a date format), in local clock time.
    let local = first_local_time(&app, &id, &tok).await;
    let Some(Data::DateTime(at)) = range.get((1, 1)) else {
        panic!("expected a date-time cell, got {:?}", range.get((1, 1)));
    };
    let clock = time::PrimitiveDateTime::parse(
        &local,
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
    )
    .unwrap();
    let epoch = time::macros::datetime!(1899-12-30 0:00);
    let expected = (clock - epoch).as_seconds_f64() / 86_400.0;
    assert!(
        (at.as_f64() - expected).abs() < 0.5 / 86_400.0,
        "{} against {expected}",
        at.as_f64()
    );
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        )
    );
    assert!(sheet.contains(r#"<autoFilter ref="A1:M3"/>"#));
}

#[tokio::test]
async fn export_file_names_carry_the_title_and_the_date() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    for ext in ["csv", "json", "ods", "xlsx"] {
        let resp = app
            .get(&format!("/api/v1/org/polls/{id}/export.{ext}"), Some(&tok))
            .await;
        let disposition = resp.headers()["content-disposition"].to_str().unwrap();
        assert_eq!(
            disposition,
            format!(
                "attachment; filename=\"le-marche-du-samedi-{today}.{ext}\"; \
                 filename*=UTF-8''Le%20march%C3%A9%20du%20samedi%20{today}.{ext}"
            )
        );
    }
    // The CSV for Excel has a name of its own.
    let resp = app
        .get(
            &format!("/api/v1/org/polls/{id}/export.csv?separator=semicolon"),
            Some(&tok),
        )
        .await;
    assert_eq!(
        resp.headers()["content-disposition"].to_str().unwrap(),
        format!(
            "attachment; filename=\"le-marche-du-samedi-{today}-excel.csv\"; \
             filename*=UTF-8''Le%20march%C3%A9%20du%20samedi%20{today}%20excel.csv"
        )
    );
}

#[tokio::test]
async fn large_spreadsheet_exports_are_streamed_in_chunks() {
    const ANSWERS: usize = 4000;
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    store_many(&app, &id, ANSWERS).await;

    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/export.ods"), Some(&tok))
        .await;
    let bytes = read_streamed(resp).await;
    let mut ods: Ods<_> = calamine::Reader::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        ods.worksheet_range("Réponses").unwrap().height(),
        ANSWERS + 1
    );

    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/export.xlsx"), Some(&tok))
        .await;
    let bytes = read_streamed(resp).await;
    let mut xlsx: Xlsx<_> = calamine::Reader::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        xlsx.worksheet_range("Réponses").unwrap().height(),
        ANSWERS + 1
    );
}

/// LibreOffice, when this machine has it (`soffice` on the `PATH`).
fn libreoffice() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["soffice", "libreoffice"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// Opens `bytes` (a spreadsheet named `file`) in headless LibreOffice and has it saved as
/// UTF-8 CSV: the cells as LibreOffice itself read them.
fn through_libreoffice(soffice: &std::path::Path, bytes: &[u8], file: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(file);
    std::fs::write(&input, bytes).unwrap();
    // A profile of its own, so that tests running at once do not share one.
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let out = std::process::Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--norestore",
            "--convert-to",
        ])
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1")
        .arg("--outdir")
        .arg(dir.path().join("out"))
        .arg(&input)
        .output()
        .unwrap();
    let csv_path = dir.path().join("out").join(
        std::path::Path::new(file)
            .with_extension("csv")
            .file_name()
            .unwrap(),
    );
    let text = std::fs::read_to_string(&csv_path).unwrap_or_else(|e| {
        panic!(
            "LibreOffice wrote no CSV ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn libreoffice_opens_both_spreadsheets_with_text_as_typed_and_dates_as_dates() {
    let Some(soffice) = libreoffice() else {
        eprintln!("LibreOffice is not installed here: its read-back of the exports is skipped");
        return;
    };
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let (tricky, plain) = tricky_answers(&app, &id).await;
    let local = first_local_time(&app, &id, &tok).await;
    for format in ["ods", "xlsx"] {
        let bytes = app
            .get(
                &format!("/api/v1/org/polls/{id}/export.{format}"),
                Some(&tok),
            )
            .await
            .bytes()
            .await
            .unwrap();
        let soffice = soffice.clone();
        let file = format!("export.{format}");
        let rows =
            tokio::task::spawn_blocking(move || through_libreoffice(&soffice, &bytes, &file))
                .await
                .unwrap();
        assert_eq!(rows.len(), 3, "{format}: a header and two answers");
        assert_eq!(rows[0], HEADER, "{format}");
        let row = &rows[1];
        assert_eq!(row[0], tricky, "{format}");
        // Had LibreOffice taken it for a formula, the cell would read "clic".
        assert_eq!(
            row[3], "=HYPERLINK(\"http://evil.example\",\"clic\")",
            "{format}"
        );
        assert_eq!(row[4], "Fromage", "{format}");
        assert_eq!(row[6], "1", "{format}");
        assert_eq!(row[8], "5", "{format}");
        assert_eq!(row[9], "@Zoé & <b>Léa</b>", "{format}");
        // A tab is written as `<text:tab/>` in ODS, as LibreOffice writes it itself; read back
        // through its CSV filter, that element comes out as nothing (so does the one in a file
        // LibreOffice saved from a CSV with a tab), so the ODS check leaves tabs out.
        let typed = "-1+1\nsur  deux\tlignes _x0041_";
        let expected = match format {
            "ods" => typed.replace('\t', ""),
            _ => typed.to_owned(),
        };
        assert_eq!(row[10], expected, "{format}");
        // A date cell, shown with its date and its time to the second.
        let (date, clock) = local.split_once('T').unwrap();
        assert!(
            row[1].contains(date) && row[1].contains(clock),
            "{format}: {} for {local}",
            row[1]
        );
        assert_eq!(rows[2][0], plain, "{format}");
        assert_eq!(rows[2][2], "Oui", "{format}");
    }
}

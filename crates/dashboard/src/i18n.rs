//! Every string an organiser sees, in French and English: one [`Texts`] table per language
//! (a missing translation is a compile error) and functions for strings with numbers.

use concerto_core::{PartnerState, PollState, ResultsVisibility};
use concerto_ui::Lang;

/// The fixed strings of one language.
#[derive(Debug)]
pub struct Texts {
    pub app_name: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub loading: &'static str,
    pub network_error: &'static str,
    pub server_error: &'static str,
    pub not_found: &'static str,
    pub back_to_list: &'static str,
    pub login_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    pub login_button: &'static str,
    pub logging_in: &'static str,
    pub wrong_credentials: &'static str,
    pub too_many_attempts: &'static str,
    pub logout: &'static str,
    pub invitation_title: &'static str,
    pub invitation_intro: &'static str,
    pub invitation_button: &'static str,
    pub invitation_invalid: &'static str,
    pub email_taken: &'static str,
    pub password_hint: &'static str,
    pub polls_title: &'static str,
    pub no_polls: &'static str,
    pub new_poll: &'static str,
    pub col_title: &'static str,
    pub col_state: &'static str,
    pub col_answers: &'static str,
    pub edit: &'static str,
    /// The header's navigation, for screen readers.
    pub nav_label: &'static str,
    /// The team page's title (and its link).
    pub team_title: &'static str,
    /// The organisers' section.
    pub organisers_title: &'static str,
    /// Column: name.
    pub col_name: &'static str,
    /// Column: email.
    pub col_email: &'static str,
    /// Column: when someone joined.
    pub col_joined: &'static str,
    /// The pending invitations' section.
    pub pending_title: &'static str,
    /// No pending invitation.
    pub pending_none: &'static str,
    /// Column: when an invitation was made.
    pub col_created: &'static str,
    /// Column: who made it.
    pub col_by: &'static str,
    /// Column: until when it works.
    pub col_expires: &'static str,
    /// Who made an invitation when it was an organisation token.
    pub by_token: &'static str,
    /// Button withdrawing an invitation.
    pub revoke: &'static str,
    /// Asked before withdrawing one.
    pub revoke_confirm: &'static str,
    /// Said once withdrawn.
    pub revoked: &'static str,
    /// The new invitation link's hint.
    pub invitation_hint: &'static str,
    /// The copy button of a link.
    pub copy_link: &'static str,
    /// Said once a link is copied.
    pub link_copied: &'static str,
    pub invite: &'static str,
    pub invitation_link: &'static str,
    pub editor_new_title: &'static str,
    pub editor_edit_title: &'static str,
    pub field_title: &'static str,
    pub field_description: &'static str,
    pub questions: &'static str,
    pub question_n: &'static str,
    pub prompt: &'static str,
    pub kind: &'static str,
    pub required: &'static str,
    pub options: &'static str,
    pub option_label: &'static str,
    pub add_option: &'static str,
    pub allow_other: &'static str,
    pub min_selections: &'static str,
    pub max_selections: &'static str,
    pub rating_min: &'static str,
    pub rating_max: &'static str,
    pub min_label: &'static str,
    pub max_label: &'static str,
    pub max_length: &'static str,
    pub add_question: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub remove: &'static str,
    pub settings: &'static str,
    pub opens_at: &'static str,
    pub closes_at: &'static str,
    pub results_visibility: &'static str,
    pub allowed_origins: &'static str,
    pub allowed_origins_hint: &'static str,
    pub allow_multiple: &'static str,
    pub one_per_code: &'static str,
    pub one_per_code_hint: &'static str,
    pub codes_title: &'static str,
    pub codes_none: &'static str,
    pub codes_count_range: &'static str,
    pub codes_count_label: &'static str,
    pub codes_make: &'static str,
    pub codes_making: &'static str,
    pub codes_warning: &'static str,
    pub codes_print: &'static str,
    pub codes_csv: &'static str,
    pub codes_slip_intro: &'static str,
    pub codes_slip_link: &'static str,
    pub codes_slip_qr: &'static str,
    pub codes_sheet_label: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub fix_before_saving: &'static str,
    pub preview: &'static str,
    pub preview_note: &'static str,
    pub open: &'static str,
    pub reopen: &'static str,
    pub close: &'static str,
    pub close_confirm: &'static str,
    pub close_yes: &'static str,
    pub activity_title: &'static str,
    pub activity_none: &'static str,
    pub activity_when: &'static str,
    pub activity_who: &'static str,
    pub activity_what: &'static str,
    pub activity_poll: &'static str,
    pub activity_answers: &'static str,
    pub activity_token: &'static str,
    pub activity_answer_deleted: &'static str,
    pub activity_answers_deleted: &'static str,
    pub activity_consultation_deleted: &'static str,
    pub duplicate: &'static str,
    /// Heading of the built-in templates on the list page.
    pub templates_title: &'static str,
    /// What the templates are for.
    pub templates_intro: &'static str,
    /// Button starting a draft from one template (followed by its title).
    pub template_use: &'static str,
    pub delete_poll: &'static str,
    pub delete_draft_confirm: &'static str,
    pub delete_poll_confirm: &'static str,
    pub delete_poll_title: &'static str,
    pub delete_poll_yes: &'static str,
    pub share: &'static str,
    pub snippet: &'static str,
    pub snippet_hint: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub standalone: &'static str,
    pub share_draft: &'static str,
    pub results: &'static str,
    pub refresh: &'static str,
    pub other_answers: &'static str,
    pub exports: &'static str,
    pub export_csv: &'static str,
    pub export_csv_semicolon: &'static str,
    pub export_json: &'static str,
    pub export_ods: &'static str,
    pub export_xlsx: &'static str,
    pub export_progress: &'static str,
    pub export_hint: &'static str,
    pub errors_title: &'static str,
    pub text_answers: &'static str,
    pub search: &'static str,
    pub search_button: &'static str,
    pub more: &'static str,
    pub no_text_answers: &'static str,
    pub answers_title: &'static str,
    pub answers_filter_answer: &'static str,
    pub answers_filter_any: &'static str,
    pub answers_filter_from: &'static str,
    pub answers_filter_to: &'static str,
    pub answers_filter_button: &'static str,
    pub answers_received: &'static str,
    pub answers_summary: &'static str,
    pub answers_view: &'static str,
    pub answers_hide: &'static str,
    pub answers_delete: &'static str,
    pub answers_confirm_one: &'static str,
    pub answers_confirm_yes: &'static str,
    pub answers_cancel: &'static str,
    pub answers_delete_all: &'static str,
    pub answers_confirm_all: &'static str,
    pub answers_none: &'static str,
    pub answers_deleted: &'static str,
    pub answers_unanswered: &'static str,
    pub answers_other: &'static str,
    pub timeline: &'static str,
    pub live: &'static str,
    pub qr_title: &'static str,
    pub qr_label: &'static str,
    pub download_svg: &'static str,
    pub download_png: &'static str,
    pub frame_title: &'static str,
    pub frame_snippet: &'static str,
    pub frame_hint: &'static str,
    pub iframe_snippet: &'static str,
    pub iframe_hint: &'static str,
    pub results_page: &'static str,
    pub results_snippet: &'static str,
    pub results_snippet_hint: &'static str,
    pub results_not_public: &'static str,
    pub crosstab: &'static str,
    pub crosstab_question: &'static str,
    pub crosstab_by: &'static str,
    pub crosstab_show: &'static str,
    pub crosstab_group: &'static str,
    pub crosstab_respondents: &'static str,
    pub unanswered: &'static str,
    pub in_english: &'static str,
    pub bilingual: &'static str,
    pub stranded: &'static str,
    pub session_ended: &'static str,
    pub partners_title: &'static str,
    pub partners_intro: &'static str,
    pub partners_invite_label: &'static str,
    pub partners_invite_choose: &'static str,
    pub partners_invite: &'static str,
    pub partners_inviting: &'static str,
    pub partners_invite_sent: &'static str,
    pub partners_already: &'static str,
    pub partners_unknown: &'static str,
    pub partners_choose_first: &'static str,
    pub partners_directory_empty: &'static str,
    pub partners_none: &'static str,
    pub partners_own: &'static str,
    pub partners_total: &'static str,
    pub partners_breakdown: &'static str,
    pub partners_col_org: &'static str,
    pub partners_col_state: &'static str,
    pub partners_col_answers: &'static str,
    pub partners_sites: &'static str,
    pub partners_no_sites: &'static str,
    pub partners_snippet: &'static str,
    pub partners_snippet_hint: &'static str,
    pub partners_link: &'static str,
    pub partners_end: &'static str,
    pub partners_withdraw: &'static str,
    pub partners_end_confirm: &'static str,
    pub partners_end_yes: &'static str,
    pub partners_ended: &'static str,
    pub crosstab_by_partner: &'static str,
    pub partnerships_title: &'static str,
    pub partnerships_intro: &'static str,
    pub partnerships_invitations: &'static str,
    pub partnerships_no_invitation: &'static str,
    pub partnerships_active: &'static str,
    pub partnerships_none_active: &'static str,
    pub partnerships_col_owner: &'static str,
    pub partnerships_col_invited: &'static str,
    pub partnerships_accept: &'static str,
    pub partnerships_decline: &'static str,
    pub partnerships_decline_confirm: &'static str,
    pub partnerships_decline_yes: &'static str,
    pub partnerships_accepted: &'static str,
    pub partnerships_declined: &'static str,
    pub partnerships_back: &'static str,
    pub partnership_yours: &'static str,
    pub partnership_snippet_hint: &'static str,
    pub partnership_snippet: &'static str,
    pub partnership_link: &'static str,
    pub partnership_qr_label: &'static str,
    pub partnership_share: &'static str,
    pub partnership_sites: &'static str,
    pub partnership_sites_hint: &'static str,
    pub partnership_sites_none: &'static str,
    pub partnership_add_site: &'static str,
    pub partnership_save_sites: &'static str,
    pub partnership_saving_sites: &'static str,
    pub partnership_sites_saved: &'static str,
    pub partnership_sites_refused: &'static str,
    pub partnership_not_active: &'static str,
    pub partnership_bad_site: &'static str,
    pub partnership_site_twice: &'static str,
    pub partnership_results: &'static str,
    pub partnership_results_note: &'static str,
    pub partnership_leave: &'static str,
    pub partnership_leave_confirm: &'static str,
    pub partnership_leave_yes: &'static str,
    pub partnership_gone: &'static str,
    pub poll_not_yours: &'static str,
    pub partnership_too_many_sites: &'static str,
}

static FR: Texts = Texts {
    app_name: "Concerto — organisateurs",
    switch_language: "English",
    switch_language_label: "Switch to English",
    loading: "Chargement…",
    network_error: "Le serveur ne répond pas. Vérifiez la connexion et réessayez.",
    server_error: "Le serveur a refusé la demande.",
    not_found: "Cette page n’existe pas.",
    back_to_list: "Mes consultations",
    login_title: "Connexion",
    email: "Adresse e-mail",
    password: "Mot de passe",
    name: "Votre nom",
    login_button: "Se connecter",
    logging_in: "Connexion…",
    wrong_credentials: "Adresse e-mail ou mot de passe incorrect.",
    too_many_attempts: "Trop de tentatives de connexion. Réessayez dans une minute.",
    logout: "Se déconnecter",
    invitation_title: "Créer votre compte",
    invitation_intro: "Vous avez été invité·e à organiser des consultations. Choisissez vos identifiants.",
    invitation_button: "Créer mon compte",
    invitation_invalid: "Cette invitation n’existe pas, a déjà servi ou a expiré. Demandez-en une nouvelle.",
    email_taken: "Un compte utilise déjà cette adresse e-mail.",
    password_hint: "Au moins 12 caractères.",
    polls_title: "Mes consultations",
    no_polls: "Aucune consultation pour l’instant.",
    new_poll: "Nouvelle consultation",
    col_title: "Titre",
    col_state: "État",
    col_answers: "Réponses",
    edit: "Modifier",
    nav_label: "Navigation",
    team_title: "Équipe",
    organisers_title: "Organisateurs et organisatrices",
    col_name: "Nom",
    col_email: "Adresse électronique",
    col_joined: "Arrivée le",
    pending_title: "Invitations en attente",
    pending_none: "Aucune invitation en attente.",
    col_created: "Créée le",
    col_by: "Par",
    col_expires: "Valable jusqu’au",
    by_token: "jeton de l’organisation",
    revoke: "Retirer",
    revoke_confirm: "Retirer cette invitation ? Le lien ne fonctionnera plus.",
    revoked: "Invitation retirée.",
    invitation_hint: "À transmettre à la personne invitée : le lien sert une seule fois, pendant une semaine.",
    copy_link: "Copier le lien",
    link_copied: "Lien copié.",
    invite: "Inviter un·e organisateur·rice",
    invitation_link: "Lien d’invitation (à transmettre, valable une semaine) :",
    editor_new_title: "Nouvelle consultation",
    editor_edit_title: "Modifier la consultation",
    field_title: "Titre",
    field_description: "Présentation",
    questions: "Questions",
    question_n: "Question",
    prompt: "Intitulé",
    kind: "Type",
    required: "Réponse obligatoire",
    options: "Choix proposés",
    option_label: "Choix",
    add_option: "Ajouter un choix",
    allow_other: "Proposer « Autre »",
    min_selections: "Choix minimum",
    max_selections: "Choix maximum",
    rating_min: "De",
    rating_max: "À",
    min_label: "Libellé du minimum",
    max_label: "Libellé du maximum",
    max_length: "Longueur maximale (caractères)",
    add_question: "Ajouter une question",
    move_up: "Monter",
    move_down: "Descendre",
    remove: "Supprimer",
    settings: "Réglages",
    opens_at: "Ouverture (facultatif)",
    closes_at: "Clôture (facultatif)",
    results_visibility: "Résultats visibles",
    allowed_origins: "Sites autorisés à intégrer la consultation",
    allowed_origins_hint: "Un par ligne, par exemple https://www.mon-association.fr",
    allow_multiple: "Permettre plusieurs réponses depuis un même appareil",
    one_per_code: "Une réponse par code de participation",
    one_per_code_hint: "Chaque foyer reçoit un code imprimé ; une réponse en demande un, utilisable une seule fois. Les réponses restent anonymes : rien ne relie une réponse à son code.",
    codes_title: "Codes de participation",
    codes_none: "Aucun code pour l’instant.",
    codes_count_range: "Indiquez un nombre de codes entre 1 et 5000.",
    codes_count_label: "Nombre de codes à créer (1 à 5000)",
    codes_make: "Créer les codes",
    codes_making: "Création des codes…",
    codes_warning: "Ces codes ne sont affichés qu’une seule fois : imprimez-les ou téléchargez-les avant de quitter la page. Le serveur n’en garde qu’une empreinte et ne pourra pas les montrer à nouveau.",
    codes_print: "Imprimer",
    codes_csv: "Télécharger en CSV",
    codes_slip_intro: "Votre code de participation",
    codes_slip_link: "Répondre en ligne :",
    codes_slip_qr: "QR code du lien de réponse avec ce code",
    codes_sheet_label: "Feuille de codes à imprimer",
    save: "Enregistrer",
    saving: "Enregistrement…",
    saved: "Enregistré.",
    fix_before_saving: "À corriger avant d’enregistrer :",
    preview: "Aperçu",
    preview_note: "Tel que les habitant·es le verront. Rien n’est envoyé depuis l’aperçu.",
    open: "Ouvrir",
    reopen: "Rouvrir",
    close: "Clôturer",
    close_confirm: "Clôturer la consultation ? Les habitants ne pourront plus répondre (vous pourrez la rouvrir).",
    close_yes: "Oui, clôturer",
    activity_title: "Journal des suppressions",
    activity_none: "Aucune suppression pour l’instant.",
    activity_when: "Quand",
    activity_who: "Qui",
    activity_what: "Quoi",
    activity_poll: "Consultation",
    activity_answers: "Réponses",
    activity_token: "jeton d’API",
    activity_answer_deleted: "Une réponse supprimée",
    activity_answers_deleted: "Toutes les réponses supprimées",
    activity_consultation_deleted: "Consultation supprimée",
    duplicate: "Dupliquer (nouveau brouillon)",
    templates_title: "Partir d’un modèle",
    templates_intro: "Un brouillon prêt à adapter, en français et en anglais : rien n’est publié avant que vous l’ouvriez.",
    template_use: "Créer un brouillon :",
    delete_poll: "Supprimer la consultation",
    delete_draft_confirm: "Supprimer ce brouillon ?",
    delete_poll_confirm: "La consultation et toutes ses réponses seront supprimées définitivement. Tapez son titre pour confirmer.",
    delete_poll_title: "Titre de la consultation",
    delete_poll_yes: "Supprimer définitivement",
    share: "Partager",
    snippet: "Code à coller sur votre site",
    snippet_hint: "Collez ces trois lignes là où la consultation doit apparaître (la première, facultative, fait apparaître la consultation plus vite ; sur une page en anglais, remplacez lang=fr par lang=en). WordPress : un bloc « HTML personnalisé ». Page HTML : dans le <body>, à l’endroit voulu.",
    copy: "Copier le code",
    copied: "Code copié.",
    copy_failed: "Copie impossible : sélectionnez le code et copiez-le.",
    standalone: "Page autonome (lien, QR code)",
    share_draft: "Ouvrez la consultation pour la partager.",
    results: "Résultats",
    refresh: "Actualiser",
    other_answers: "Autre",
    exports: "Exporter les réponses",
    export_csv: "CSV (virgule)",
    export_csv_semicolon: "CSV (point-virgule, Excel)",
    export_json: "JSON",
    export_ods: "ODS (LibreOffice)",
    export_xlsx: "XLSX (Excel)",
    export_progress: "Progression de l’export",
    export_hint: "ODS pour LibreOffice, XLSX pour Excel : les dates y sont des dates, les textes restent tels quels, une colonne par option cochée. CSV pour les autres outils (un tableur qui l’ouvre peut prendre « 12 juin » pour une date). JSON, avec la définition des questions, pour un traitement automatique.",
    errors_title: "Erreurs",
    text_answers: "Réponses écrites",
    search: "Rechercher dans les réponses",
    search_button: "Rechercher",
    more: "Afficher la suite",
    no_text_answers: "Aucune réponse écrite.",
    answers_title: "Réponses",
    answers_filter_answer: "Réponse à une question",
    answers_filter_any: "Toutes les réponses",
    answers_filter_from: "Reçues à partir du",
    answers_filter_to: "Jusqu’au",
    answers_filter_button: "Filtrer",
    answers_received: "Reçue le",
    answers_summary: "Réponse",
    answers_view: "Voir",
    answers_hide: "Masquer",
    answers_delete: "Supprimer",
    answers_confirm_one: "Supprimer définitivement cette réponse ? Les résultats et les exports ne la compteront plus.",
    answers_confirm_yes: "Oui, supprimer",
    answers_cancel: "Annuler",
    answers_delete_all: "Supprimer toutes les réponses",
    answers_confirm_all: "Supprimer définitivement toutes les réponses de cette consultation ? Cela ne peut pas être annulé.",
    answers_none: "Aucune réponse ne correspond.",
    answers_deleted: "Réponse supprimée.",
    answers_unanswered: "sans réponse",
    answers_other: "autre",
    timeline: "Réponses par jour",
    live: "Mis à jour en direct",
    qr_title: "QR code pour affiches et vitrines",
    qr_label: "QR code de la page autonome de la consultation",
    download_svg: "Télécharger en SVG",
    download_png: "Télécharger en PNG",
    frame_title: "Votre site retire les scripts ? Variantes en iframe",
    frame_snippet: "Iframe qui s’ajuste à son contenu",
    frame_hint: "Pour les sites qui acceptent un petit script mais pas WebAssembly.",
    iframe_snippet: "Iframe simple, sans script",
    iframe_hint: "Hauteur fixe. L’adresse après origin= doit être celle de votre site, parmi les sites autorisés.",
    results_page: "Page publique des résultats",
    results_snippet: "Code des résultats à coller sur votre site",
    results_snippet_hint: "Affiche les résultats publics (graphiques, nombre de réponses, dates) sans WebAssembly ; en anglais avec lang=\"en\" sur la balise <div>. Votre site doit être parmi les sites autorisés.",
    results_not_public: "Les résultats ne sont pas publics pour l’instant : la page et le code des résultats le diront tant que la visibilité des résultats ne le permet pas.",
    crosstab: "Croiser les réponses",
    crosstab_question: "Les réponses à",
    crosstab_by: "selon la réponse à",
    crosstab_show: "Afficher",
    crosstab_group: "Réponse",
    crosstab_respondents: "Personnes",
    unanswered: "Sans réponse",
    in_english: "en anglais",
    bilingual: "Écrire aussi en anglais (chacun lit la consultation dans sa langue)",
    session_ended: "Votre session a pris fin : reconnectez-vous.",
    stranded: "Cette consultation a déjà des réponses : ces changements les rendraient inutilisables. Les reformulations et les ajouts restent possibles.",
    partners_title: "Partenaires",
    partners_intro: "Invitez d’autres organisations de ce serveur (association, commerce, conseil de quartier) à co-organiser la consultation : chacune reçoit son propre code à coller sur ses sites et son QR code, et vous voyez combien de réponses sont passées par elle. Elles voient les résultats d’ensemble, jamais les réponses elles-mêmes.",
    partners_invite_label: "Organisation à inviter",
    partners_invite_choose: "Choisissez une organisation",
    partners_invite: "Inviter",
    partners_inviting: "Invitation…",
    partners_invite_sent: "Invitation envoyée : l’organisation la trouvera dans ses partenariats.",
    partners_already: "Cette organisation est déjà partenaire de la consultation, ou déjà invitée.",
    partners_unknown: "Cette organisation ne peut pas être invitée : elle n’existe plus sur ce serveur, ou c’est la vôtre.",
    partners_choose_first: "Choisissez d’abord une organisation dans la liste.",
    partners_directory_empty: "Aucune autre organisation sur ce serveur pour l’instant.",
    partners_none: "Aucun partenaire pour l’instant.",
    partners_own: "Vous (vos sites, liens et QR codes)",
    partners_total: "Total",
    partners_breakdown: "Réponses par partenaire",
    partners_col_org: "Organisation",
    partners_col_state: "État",
    partners_col_answers: "Réponses (part du total)",
    partners_sites: "Ses sites",
    partners_no_sites: "Aucun site déclaré pour l’instant.",
    partners_snippet: "Code du partenaire",
    partners_snippet_hint: "À transmettre au partenaire, qui le colle sur ses sites : les réponses données là comptent pour lui.",
    partners_link: "Lien du partenaire (affiches, tracts)",
    partners_end: "Mettre fin au partenariat",
    partners_withdraw: "Retirer l’invitation",
    partners_end_confirm: "Mettre fin à ce partenariat ? Ses sites ne pourront plus afficher la consultation et il ne suivra plus ses résultats. Les réponses déjà venues par lui restent comptées, et celles de ses affiches continuent de compter pour lui.",
    partners_end_yes: "Oui, y mettre fin",
    partners_ended: "Partenariat terminé.",
    crosstab_by_partner: "le partenaire par lequel elle est arrivée",
    partnerships_title: "Partenariats",
    partnerships_intro: "Les consultations que d’autres organisations de ce serveur vous proposent de co-organiser : vous les affichez sur vos sites et vos affiches, et vous suivez leurs résultats d’ensemble et les réponses venues par vous.",
    partnerships_invitations: "Invitations",
    partnerships_no_invitation: "Aucune invitation en attente.",
    partnerships_active: "Consultations co-organisées",
    partnerships_none_active: "Aucune consultation co-organisée pour l’instant.",
    partnerships_col_owner: "Organisée par",
    partnerships_col_invited: "Invitation du",
    partnerships_accept: "Accepter",
    partnerships_decline: "Refuser",
    partnerships_decline_confirm: "Refuser cette invitation ? L’organisation devra vous inviter à nouveau.",
    partnerships_decline_yes: "Oui, refuser",
    partnerships_accepted: "Invitation acceptée.",
    partnerships_declined: "Invitation refusée.",
    partnerships_back: "Mes partenariats",
    partnership_yours: "Vos réponses",
    partnership_snippet_hint: "Collez ces lignes sur vos sites, là où la consultation doit apparaître : les réponses données là comptent pour vous. Chaque site doit figurer dans la liste de vos sites ci-dessous.",
    partnership_snippet: "Votre code à coller sur vos sites",
    partnership_link: "Votre lien (affiches, tracts)",
    partnership_qr_label: "QR code de votre lien vers la consultation",
    partnership_share: "Votre code, votre lien et votre QR code",
    partnership_sites: "Vos sites",
    partnership_sites_hint: "L’adresse de chaque site où vous collez le code, par exemple https://www.mon-association.fr : la consultation ne s’affiche que sur les sites déclarés ici.",
    partnership_sites_none: "Aucun site pour l’instant.",
    partnership_add_site: "Ajouter un site",
    partnership_save_sites: "Enregistrer les sites",
    partnership_saving_sites: "Enregistrement…",
    partnership_sites_saved: "Sites enregistrés.",
    partnership_sites_refused: "Certains sites sont refusés : voir ci-dessus.",
    partnership_not_active: "Acceptez d’abord l’invitation.",
    partnership_bad_site: "ce n’est pas une adresse de site (https://exemple.fr)",
    partnership_site_twice: "ce site est déjà dans la liste",
    partnership_results: "Résultats d’ensemble",
    partnership_results_note: "Toutes les réponses, celles de l’organisateur et de chaque partenaire. Les réponses elles-mêmes restent auprès de l’organisateur.",
    partnership_leave: "Quitter le partenariat",
    partnership_leave_confirm: "Quitter ce partenariat ? Vos sites ne pourront plus afficher la consultation et vous ne suivrez plus ses résultats. Les réponses déjà venues par vous restent comptées.",
    partnership_leave_yes: "Oui, quitter",
    partnership_gone: "Ce partenariat n’existe pas ou a pris fin.",
    poll_not_yours: "La consultation a pu être supprimée, ou elle appartient à une autre organisation : seule celle-ci voit ses réponses. Si vous en êtes partenaire, suivez-la depuis vos partenariats.",
    partnership_too_many_sites: "20 sites au plus.",
};

static EN: Texts = Texts {
    app_name: "Concerto — organisers",
    switch_language: "Français",
    switch_language_label: "Passer en français",
    loading: "Loading…",
    network_error: "The server does not answer. Check the connection and try again.",
    server_error: "The server refused the request.",
    not_found: "This page does not exist.",
    back_to_list: "My consultations",
    login_title: "Log in",
    email: "Email address",
    password: "Password",
    name: "Your name",
    login_button: "Log in",
    logging_in: "Logging in…",
    wrong_credentials: "Wrong email address or password.",
    too_many_attempts: "Too many login attempts. Try again in a minute.",
    logout: "Log out",
    invitation_title: "Create your account",
    invitation_intro: "You have been invited to run consultations. Choose your credentials.",
    invitation_button: "Create my account",
    invitation_invalid: "This invitation does not exist, was already used or has expired. Ask for a new one.",
    email_taken: "An account already uses this email address.",
    password_hint: "At least 12 characters.",
    polls_title: "My consultations",
    no_polls: "No consultation yet.",
    new_poll: "New consultation",
    col_title: "Title",
    col_state: "State",
    col_answers: "Answers",
    edit: "Edit",
    nav_label: "Navigation",
    team_title: "Team",
    organisers_title: "Organisers",
    col_name: "Name",
    col_email: "Email",
    col_joined: "Joined",
    pending_title: "Pending invitations",
    pending_none: "No pending invitation.",
    col_created: "Created",
    col_by: "By",
    col_expires: "Valid until",
    by_token: "organisation token",
    revoke: "Revoke",
    revoke_confirm: "Revoke this invitation? Its link will stop working.",
    revoked: "Invitation revoked.",
    invitation_hint: "Pass it on to the person invited: the link works once, for a week.",
    copy_link: "Copy the link",
    link_copied: "Link copied.",
    invite: "Invite an organiser",
    invitation_link: "Invitation link (to pass on, valid for a week):",
    editor_new_title: "New consultation",
    editor_edit_title: "Edit the consultation",
    field_title: "Title",
    field_description: "Introduction",
    questions: "Questions",
    question_n: "Question",
    prompt: "Question text",
    kind: "Kind",
    required: "Answer required",
    options: "Choices",
    option_label: "Choice",
    add_option: "Add a choice",
    allow_other: "Offer “Other”",
    min_selections: "Fewest choices",
    max_selections: "Most choices",
    rating_min: "From",
    rating_max: "To",
    min_label: "Label of the lowest value",
    max_label: "Label of the highest value",
    max_length: "Longest answer (characters)",
    add_question: "Add a question",
    move_up: "Move up",
    move_down: "Move down",
    remove: "Remove",
    settings: "Settings",
    opens_at: "Opens (optional)",
    closes_at: "Closes (optional)",
    results_visibility: "Results visible",
    allowed_origins: "Sites allowed to embed the consultation",
    allowed_origins_hint: "One per line, for example https://www.my-association.org",
    allow_multiple: "Allow several answers from the same device",
    one_per_code: "One answer per participation code",
    one_per_code_hint: "Each household gets a printed code; an answer needs one, usable only once. Answers stay anonymous: nothing links an answer to its code.",
    codes_title: "Participation codes",
    codes_none: "No codes yet.",
    codes_count_range: "Give a number of codes from 1 to 5000.",
    codes_count_label: "Number of codes to make (1 to 5000)",
    codes_make: "Make the codes",
    codes_making: "Making the codes…",
    codes_warning: "These codes are shown only now: print or download them before leaving the page. The server keeps only a fingerprint of each and cannot show them again.",
    codes_print: "Print",
    codes_csv: "Download as CSV",
    codes_slip_intro: "Your participation code",
    codes_slip_link: "Answer online:",
    codes_slip_qr: "QR code of the answer link with this code",
    codes_sheet_label: "Sheet of codes to print",
    save: "Save",
    saving: "Saving…",
    saved: "Saved.",
    fix_before_saving: "To fix before saving:",
    preview: "Preview",
    preview_note: "As residents will see it. Nothing is sent from the preview.",
    open: "Open",
    reopen: "Reopen",
    close: "Close",
    close_confirm: "Close the consultation? Residents will no longer be able to answer (you can reopen it).",
    close_yes: "Yes, close",
    activity_title: "Deletion log",
    activity_none: "No deletion so far.",
    activity_when: "When",
    activity_who: "Who",
    activity_what: "What",
    activity_poll: "Consultation",
    activity_answers: "Answers",
    activity_token: "API token",
    activity_answer_deleted: "One answer deleted",
    activity_answers_deleted: "Every answer deleted",
    activity_consultation_deleted: "Consultation deleted",
    duplicate: "Duplicate (new draft)",
    templates_title: "Start from a template",
    templates_intro: "A draft ready to adapt, in French and English: nothing is published until you open it.",
    template_use: "Create a draft:",
    delete_poll: "Delete the consultation",
    delete_draft_confirm: "Delete this draft?",
    delete_poll_confirm: "The consultation and all its answers will be deleted for good. Type its title to confirm.",
    delete_poll_title: "Title of the consultation",
    delete_poll_yes: "Delete for good",
    share: "Share",
    snippet: "Code to paste on your site",
    snippet_hint: "Paste these three lines where the consultation should appear (the first one, optional, makes the consultation show sooner; on an English page, replace lang=fr with lang=en). WordPress: a “Custom HTML” block. Plain HTML page: inside <body>, where you want it.",
    copy: "Copy the code",
    copied: "Code copied.",
    copy_failed: "Cannot copy: select the code and copy it.",
    standalone: "Standalone page (link, QR code)",
    share_draft: "Open the consultation to share it.",
    results: "Results",
    refresh: "Refresh",
    other_answers: "Other",
    exports: "Export the answers",
    export_csv: "CSV (comma)",
    export_csv_semicolon: "CSV (semicolon, Excel)",
    export_json: "JSON",
    export_ods: "ODS (LibreOffice)",
    export_xlsx: "XLSX (Excel)",
    export_progress: "Export progress",
    export_hint: "ODS for LibreOffice, XLSX for Excel: dates are dates there, texts stay as typed, one column per ticked option. CSV for other tools (a spreadsheet opening it may take “12 June” for a date). JSON, with the questions’ definition, for automated processing.",
    errors_title: "Errors",
    text_answers: "Written answers",
    search: "Search the answers",
    search_button: "Search",
    more: "Show more",
    no_text_answers: "No written answer.",
    answers_title: "Answers",
    answers_filter_answer: "Answer to a question",
    answers_filter_any: "All answers",
    answers_filter_from: "Received from",
    answers_filter_to: "Until",
    answers_filter_button: "Filter",
    answers_received: "Received",
    answers_summary: "Answer",
    answers_view: "View",
    answers_hide: "Hide",
    answers_delete: "Delete",
    answers_confirm_one: "Delete this answer for good? Results and exports will no longer count it.",
    answers_confirm_yes: "Yes, delete",
    answers_cancel: "Cancel",
    answers_delete_all: "Delete every answer",
    answers_confirm_all: "Delete every answer of this consultation for good? This cannot be undone.",
    answers_none: "No answer matches.",
    answers_deleted: "Answer deleted.",
    answers_unanswered: "no answer",
    answers_other: "other",
    timeline: "Answers per day",
    live: "Updated live",
    qr_title: "QR code for posters and shop windows",
    qr_label: "QR code of the consultation's standalone page",
    download_svg: "Download as SVG",
    download_png: "Download as PNG",
    frame_title: "Your site strips scripts? Iframe variants",
    frame_snippet: "Iframe that fits its content",
    frame_hint: "For sites that allow a small script but not WebAssembly.",
    iframe_snippet: "Plain iframe, no script",
    iframe_hint: "Fixed height. The address after origin= must be your site’s, one of the allowed sites.",
    results_page: "Public results page",
    results_snippet: "Results code to paste on your site",
    results_snippet_hint: "Shows the public results (charts, number of answers, dates) without WebAssembly; in English with lang=\"en\" on the <div> tag. Your site must be one of the allowed sites.",
    results_not_public: "The results are not public for now: the page and the results code will say so as long as the results’ visibility does not allow them.",
    crosstab: "Cross-tabulate",
    crosstab_question: "The answers to",
    crosstab_by: "by the answer to",
    crosstab_show: "Show",
    crosstab_group: "Answer",
    crosstab_respondents: "Respondents",
    unanswered: "No answer",
    in_english: "in English",
    bilingual: "Write it in English too (everyone reads it in their language)",
    session_ended: "Your session has ended: log in again.",
    stranded: "This consultation already has answers: these changes would strand them. Rewording and additions remain possible.",
    partners_title: "Partners",
    partners_intro: "Invite other organisations of this server (an association, a shop, a neighbourhood council) to co-host the consultation: each gets its own code to paste on its sites and its own QR code, and you see how many answers came through it. They see the overall results, never the answers themselves.",
    partners_invite_label: "Organisation to invite",
    partners_invite_choose: "Choose an organisation",
    partners_invite: "Invite",
    partners_inviting: "Inviting…",
    partners_invite_sent: "Invitation sent: the organisation will find it among its partnerships.",
    partners_already: "This organisation is already a partner of the consultation, or already invited.",
    partners_unknown: "This organisation cannot be invited: it is no longer on this server, or it is your own.",
    partners_choose_first: "Choose an organisation from the list first.",
    partners_directory_empty: "No other organisation on this server yet.",
    partners_none: "No partner yet.",
    partners_own: "You (your sites, links and QR codes)",
    partners_total: "Total",
    partners_breakdown: "Answers by partner",
    partners_col_org: "Organisation",
    partners_col_state: "State",
    partners_col_answers: "Answers (share of the total)",
    partners_sites: "Its sites",
    partners_no_sites: "No site declared yet.",
    partners_snippet: "The partner’s code",
    partners_snippet_hint: "For the partner, who pastes it on its sites: answers given there count for it.",
    partners_link: "The partner’s link (posters, flyers)",
    partners_end: "End the partnership",
    partners_withdraw: "Withdraw the invitation",
    partners_end_confirm: "End this partnership? Its sites will no longer show the consultation and it will no longer follow the results. The answers that already came through it stay counted, and those from its posters still count for it.",
    partners_end_yes: "Yes, end it",
    partners_ended: "Partnership ended.",
    crosstab_by_partner: "the partner it came through",
    partnerships_title: "Partnerships",
    partnerships_intro: "The consultations other organisations of this server invite you to co-host: you show them on your sites and posters, and follow their overall results and the answers that came through you.",
    partnerships_invitations: "Invitations",
    partnerships_no_invitation: "No pending invitation.",
    partnerships_active: "Co-hosted consultations",
    partnerships_none_active: "No co-hosted consultation yet.",
    partnerships_col_owner: "Run by",
    partnerships_col_invited: "Invited on",
    partnerships_accept: "Accept",
    partnerships_decline: "Decline",
    partnerships_decline_confirm: "Decline this invitation? The organisation will have to invite you again.",
    partnerships_decline_yes: "Yes, decline",
    partnerships_accepted: "Invitation accepted.",
    partnerships_declined: "Invitation declined.",
    partnerships_back: "My partnerships",
    partnership_yours: "Your answers",
    partnership_snippet_hint: "Paste these lines on your sites where the consultation should appear: answers given there count for you. Each site must be in the list of your sites below.",
    partnership_snippet: "Your code to paste on your sites",
    partnership_link: "Your link (posters, flyers)",
    partnership_qr_label: "QR code of your link to the consultation",
    partnership_share: "Your code, your link and your QR code",
    partnership_sites: "Your sites",
    partnership_sites_hint: "The address of each site where you paste the code, such as https://www.my-association.org: the consultation shows only on the sites declared here.",
    partnership_sites_none: "No site yet.",
    partnership_add_site: "Add a site",
    partnership_save_sites: "Save the sites",
    partnership_saving_sites: "Saving…",
    partnership_sites_saved: "Sites saved.",
    partnership_sites_refused: "Some sites are refused: see above.",
    partnership_not_active: "Accept the invitation first.",
    partnership_bad_site: "this is not a site address (https://example.org)",
    partnership_site_twice: "this site is already in the list",
    partnership_results: "Overall results",
    partnership_results_note: "Every answer, the owner’s and every partner’s. The answers themselves stay with the owner.",
    partnership_leave: "Leave the partnership",
    partnership_leave_confirm: "Leave this partnership? Your sites will no longer show the consultation and you will no longer follow its results. The answers that already came through you stay counted.",
    partnership_leave_yes: "Yes, leave",
    partnership_gone: "This partnership does not exist or has ended.",
    poll_not_yours: "The consultation may have been deleted, or it belongs to another organisation: only that organisation sees its answers. If you are one of its partners, follow it from your partnerships.",
    partnership_too_many_sites: "At most 20 sites.",
};

/// The fixed strings of `lang`.
pub fn t(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// The other language, for the switch.
pub fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Fr => Lang::En,
        Lang::En => Lang::Fr,
    }
}

/// A consultation's state, as a word.
pub fn state(lang: Lang, state: PollState) -> &'static str {
    match (lang, state) {
        (Lang::Fr, PollState::Draft) => "Brouillon",
        (Lang::Fr, PollState::Open) => "Ouverte",
        (Lang::Fr, PollState::Closed) => "Clôturée",
        (Lang::En, PollState::Draft) => "Draft",
        (Lang::En, PollState::Open) => "Open",
        (Lang::En, PollState::Closed) => "Closed",
    }
}

/// A results visibility, as a phrase.
pub fn visibility(lang: Lang, v: ResultsVisibility) -> &'static str {
    match (lang, v) {
        (Lang::Fr, ResultsVisibility::AfterAnswering) => "aux habitant·es après leur réponse",
        (Lang::Fr, ResultsVisibility::AfterClosing) => "à tous après la clôture",
        (Lang::Fr, ResultsVisibility::OrganisersOnly) => "aux organisateurs seulement",
        (Lang::En, ResultsVisibility::AfterAnswering) => "to residents once they answered",
        (Lang::En, ResultsVisibility::AfterClosing) => "to everyone once closed",
        (Lang::En, ResultsVisibility::OrganisersOnly) => "to organisers only",
    }
}

/// A day of the timeline and its count, for screen readers: "30 nov. : 3 réponses".
pub fn day_count(lang: Lang, day: &str, count: u64) -> String {
    match lang {
        Lang::Fr => format!("{day} : {}", answers(lang, count)),
        Lang::En => format!("{day}: {}", answers(lang, count)),
    }
}

/// A day (`YYYY-MM-DD`) as a short date along the timeline: "30 nov.", "30 Nov".
pub fn short_day(lang: Lang, day: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!(
        "{day}T00:00:00Z"
    )));
    written(
        lang,
        &date,
        &[("day", "numeric"), ("month", "short"), ("timeZone", "UTC")],
    )
}

/// `date` written by the browser (`Intl`) in `lang`, with these `Intl.DateTimeFormat` options.
pub fn written(lang: Lang, date: &js_sys::Date, options: &[(&str, &str)]) -> String {
    let object = js_sys::Object::new();
    for (key, value) in options {
        // Plain data properties on a fresh object: setting them cannot fail.
        let _ = js_sys::Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    let locale = match lang {
        Lang::Fr => "fr-FR",
        Lang::En => "en-GB",
    };
    date.to_locale_string(locale, &object).into()
}

/// When a consultation opens and closes, as set: "ouverture le 1 mars 2027 à 09:00, clôture
/// le 31 mars 2027 à 18:00", in the organiser's time zone.
pub fn schedule(
    lang: Lang,
    opens_at: Option<time::OffsetDateTime>,
    closes_at: Option<time::OffsetDateTime>,
) -> String {
    let mut parts = Vec::new();
    if let Some(at) = opens_at {
        parts.push(match lang {
            Lang::Fr => format!("ouverture le {}", moment(lang, at)),
            Lang::En => format!("opens {}", moment(lang, at)),
        });
    }
    if let Some(at) = closes_at {
        parts.push(match lang {
            Lang::Fr => format!("clôture le {}", moment(lang, at)),
            Lang::En => format!("closes {}", moment(lang, at)),
        });
    }
    parts.join(", ")
}

/// A moment in the browser's time zone, written by the browser ("31 mars 2027 à 18:00").
pub fn moment(lang: Lang, at: time::OffsetDateTime) -> String {
    let millis = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    written(
        lang,
        &date,
        &[("dateStyle", "long"), ("timeStyle", "short")],
    )
}

/// A question kind's name.
pub fn kind(lang: Lang, name: &str) -> &'static str {
    match (lang, name) {
        (Lang::Fr, "single_choice") => "Choix unique",
        (Lang::Fr, "multiple_choice") => "Choix multiple",
        (Lang::Fr, "rating") => "Note sur une échelle",
        (Lang::Fr, "short_text") => "Texte court",
        (Lang::Fr, "long_text") => "Texte long",
        (Lang::En, "single_choice") => "Single choice",
        (Lang::En, "multiple_choice") => "Multiple choice",
        (Lang::En, "rating") => "Rating on a scale",
        (Lang::En, "short_text") => "Short text",
        (_, "long_text") => "Long text",
        _ => "?",
    }
}

/// "12 réponses", "1 answer".
pub fn answers(lang: Lang, n: u64) -> String {
    match lang {
        Lang::Fr if n <= 1 => format!("{n} réponse"),
        Lang::Fr => format!("{n} réponses"),
        Lang::En if n == 1 => "1 answer".to_owned(),
        Lang::En => format!("{n} answers"),
    }
}

/// "3 réponses sur 12", "3 of 12 answers": how far an export got.
pub fn answers_of(lang: Lang, n: u64, total: u64) -> String {
    match lang {
        Lang::Fr => format!("{} sur {total}", answers(lang, n)),
        Lang::En if total == 1 => format!("{n} of 1 answer"),
        Lang::En => format!("{n} of {total} answers"),
    }
}

/// "12 Ko reçus", "12 KB received": how far an export without countable rows got.
pub fn kilobytes_received(lang: Lang, bytes: u64) -> String {
    let kb = bytes.div_ceil(1024);
    match lang {
        Lang::Fr => format!("{kb}\u{a0}Ko reçus"),
        Lang::En => format!("{kb} KB received"),
    }
}

/// A finished export: "Terminé : 3 réponses sur 3", "Done: 3 of 3 answers".
pub fn export_done(lang: Lang, progress: &str) -> String {
    match lang {
        Lang::Fr => format!("Terminé\u{a0}: {progress}"),
        Lang::En => format!("Done: {progress}"),
    }
}

/// "12 réponses sur 3 jours": the summary of the answers-per-day chart.
pub fn timeline_summary(lang: Lang, total: u64, days: usize) -> String {
    match lang {
        Lang::Fr => format!(
            "{} sur {days} jour{}",
            answers(lang, total),
            if days > 1 { "s" } else { "" }
        ),
        Lang::En => format!(
            "{} over {days} day{}",
            answers(lang, total),
            if days == 1 { "" } else { "s" }
        ),
    }
}

/// A count and its share: "3 (60 %)".
pub fn count_share(lang: Lang, count: u64, percent: u32) -> String {
    match lang {
        Lang::Fr => format!("{count} ({percent}\u{a0}%)"),
        Lang::En => format!("{count} ({percent}%)"),
    }
}

/// The mean of a rating: "moyenne 3,8 sur 5".
pub fn mean(lang: Lang, mean: f64, max: u8) -> String {
    match lang {
        Lang::Fr => format!(
            "moyenne {} sur {max}",
            format!("{mean:.1}").replace('.', ",")
        ),
        Lang::En => format!("mean {mean:.1} out of {max}"),
    }
}

/// A field path from the model's checks, in words: `questions[1].options[0].label` →
/// "Question 2, choix 1 : libellé".
pub fn field(lang: Lang, path: &str) -> String {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let word = match (lang, name) {
            (Lang::Fr, "title") => "titre",
            (Lang::Fr, "description") => "présentation",
            (Lang::Fr, "questions") => "question",
            (Lang::Fr, "options") => "choix",
            (Lang::Fr, "prompt") => "intitulé",
            (Lang::Fr, "label") => "libellé",
            (Lang::Fr, "allowed_origins") => "sites autorisés",
            (Lang::Fr, "closes_at") => "clôture",
            (Lang::Fr, "kind") => "type",
            (Lang::En, "title") => "title",
            (Lang::En, "description") => "introduction",
            (Lang::En, "questions") => "question",
            (Lang::En, "options") => "choice",
            (Lang::En, "prompt") => "question text",
            (Lang::En, "label") => "label",
            (Lang::En, "allowed_origins") => "allowed sites",
            (Lang::En, "closes_at") => "closing time",
            (Lang::En, "kind") => "kind",
            (_, other) => other,
        };
        out.push(match index {
            Some(i) => format!("{word} {}", i + 1),
            None => word.to_owned(),
        });
    }
    let mut s = out.join(", ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s
}

/// What is wrong with a field, in words.
pub fn spec_problem(lang: Lang, problem: &concerto_core::SpecProblem) -> String {
    use concerto_core::SpecProblem::*;
    match (lang, problem) {
        (Lang::Fr, Empty) => "à remplir".into(),
        (Lang::Fr, TooLong { max }) => format!("{max} caractères au plus"),
        (Lang::Fr, TooMany { max }) => format!("{max} au plus"),
        (Lang::Fr, TooFew { min }) => format!("{min} au moins"),
        (Lang::Fr, Duplicate) => "en double".into(),
        (Lang::Fr, OutOfRange { min, max }) => format!("entre {min} et {max}"),
        (Lang::Fr, ClosesBeforeOpens) => "doit suivre l’ouverture".into(),
        (Lang::En, Empty) => "must be filled in".into(),
        (Lang::En, TooLong { max }) => format!("at most {max} characters"),
        (Lang::En, TooMany { max }) => format!("at most {max}"),
        (Lang::En, TooFew { min }) => format!("at least {min}"),
        (Lang::En, Duplicate) => "used twice".into(),
        (Lang::En, OutOfRange { min, max }) => format!("between {min} and {max}"),
        (Lang::En, ClosesBeforeOpens) => "must be after the opening".into(),
    }
}

/// An allowed origin that is not one.
pub fn bad_origin(lang: Lang, line: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Sites autorisés : « {line} » n’est pas une adresse de site (https://exemple.fr)"
        ),
        Lang::En => format!("Allowed sites: “{line}” is not a site address (https://example.org)"),
    }
}

/// Why the server refused part of an edit that would strand answers, in the organiser's
/// language and with the labels the organiser wrote (`original` is the definition as saved,
/// which still has what the edit removed); `None` for a problem this dashboard does not know.
pub fn refused_edit(
    lang: Lang,
    e: &crate::api::FieldProblem,
    original: Option<&concerto_core::PollSpec>,
) -> Option<String> {
    let people = |n: u64| match (lang, n) {
        (Lang::Fr, 0 | 1) => format!("{n} personne"),
        (Lang::Fr, _) => format!("{n} personnes"),
        (Lang::En, 1) => "1 respondent".to_owned(),
        (Lang::En, _) => format!("{n} respondents"),
    };
    let questions = original.map(|o| o.questions.as_slice()).unwrap_or_default();
    let count = e.number("count").unwrap_or(0);
    Some(match e.code.as_str() {
        "answered_option_removed" => {
            let id = e.text("option")?;
            // Option ids are unique within their question only: look in that one.
            let label = questions
                .iter()
                .filter(|q| e.text("question").is_none_or(|qid| q.id.as_str() == qid))
                .flat_map(|q| q.kind.options())
                .find(|o| o.id.as_str() == id)
                .map_or_else(|| id.to_owned(), |o| o.label.get(lang).to_owned());
            match lang {
                Lang::Fr => format!(
                    "le choix « {label} » a été retenu par {} : il ne peut pas être retiré",
                    people(count)
                ),
                Lang::En => format!(
                    "the choice “{label}” was chosen by {}: it cannot be removed",
                    people(count)
                ),
            }
        }
        "answered_question_removed" => {
            let id = e.text("question")?;
            let prompt = questions
                .iter()
                .find(|q| q.id.as_str() == id)
                .map_or_else(|| id.to_owned(), |q| q.prompt.get(lang).to_owned());
            match lang {
                Lang::Fr => format!("la question « {prompt} » a des réponses : elle doit rester"),
                Lang::En => format!("the question “{prompt}” has answers: it must stay"),
            }
        }
        "kind_changed" => {
            let was = kind(lang, e.text("was")?);
            match lang {
                Lang::Fr => format!("cette question a des réponses : elle doit rester « {was} »"),
                Lang::En => format!("this question has answers: it must stay “{was}”"),
            }
        }
        "answered_other_removed" => match lang {
            Lang::Fr => format!(
                "{} {} répondu « Autre » : ce choix doit rester proposé",
                people(count),
                if count > 1 { "ont" } else { "a" }
            ),
            Lang::En => format!("{} answered “Other”: it must stay offered", people(count)),
        },
        "answered_value_excluded" => {
            let value = e.number("value")?;
            match lang {
                Lang::Fr => format!(
                    "la note {value} a été donnée par {} : elle doit rester sur l’échelle",
                    people(count)
                ),
                Lang::En => format!(
                    "the rating {value} was given by {}: it must stay on the scale",
                    people(count)
                ),
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_edits_name_what_the_organiser_wrote() {
        let original: concerto_core::PollSpec = serde_json::from_value(serde_json::json!({
            "title": "Fête",
            "questions": [{"id": "q1", "prompt": "Quoi ?", "kind": "single_choice",
                           "options": [{"id": "o2", "label": "Concert"}]}]
        }))
        .unwrap();
        let refused: crate::api::FieldProblem = serde_json::from_value(serde_json::json!({
            "field": "questions[0].options",
            "code": "answered_option_removed",
            "question": "q1",
            "option": "o2",
            "count": 2,
        }))
        .unwrap();
        assert_eq!(
            refused_edit(Lang::Fr, &refused, Some(&original)).as_deref(),
            Some("le choix « Concert » a été retenu par 2 personnes : il ne peut pas être retiré")
        );
        assert_eq!(
            refused_edit(Lang::En, &refused, Some(&original)).as_deref(),
            Some("the choice “Concert” was chosen by 2 respondents: it cannot be removed")
        );
        let unknown = crate::api::FieldProblem {
            code: "something_new".into(),
            ..Default::default()
        };
        assert_eq!(refused_edit(Lang::Fr, &unknown, Some(&original)), None);
    }

    #[test]
    fn field_paths_read_as_words() {
        assert_eq!(
            field(Lang::Fr, "questions[1].options[0].label"),
            "Question 2, choix 1, libellé"
        );
        assert_eq!(field(Lang::En, "title.en"), "Title, en");
    }

    #[test]
    fn french_counts_are_singular_up_to_one() {
        assert_eq!(answers(Lang::Fr, 0), "0 réponse");
        assert_eq!(answers(Lang::Fr, 2), "2 réponses");
        assert_eq!(answers(Lang::En, 0), "0 answers");
    }
}

/// The codes' counts: "412 codes utilisés sur 600" / "412 of 600 codes used".
pub fn codes_used(lang: Lang, used: u64, total: u64) -> String {
    match lang {
        Lang::Fr if used < 2 => format!("{used} code utilisé sur {total}"),
        Lang::Fr => format!("{used} codes utilisés sur {total}"),
        Lang::En => format!("{used} of {total} codes used"),
    }
}

/// How many codes were just made and are shown below.
pub fn codes_made(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Fr, 1) => "1 nouveau code :".to_owned(),
        (Lang::Fr, n) => format!("{n} nouveaux codes :"),
        (Lang::En, 1) => "1 new code:".to_owned(),
        (Lang::En, n) => format!("{n} new codes:"),
    }
}

/// A partner's state, as a word.
pub fn partner_state(lang: Lang, state: PartnerState) -> &'static str {
    match (lang, state) {
        (Lang::Fr, PartnerState::Invited) => "Invitée",
        (Lang::Fr, PartnerState::Active) => "Active",
        (Lang::Fr, PartnerState::Ended) => "Terminée",
        (Lang::En, PartnerState::Invited) => "Invited",
        (Lang::En, PartnerState::Active) => "Active",
        (Lang::En, PartnerState::Ended) => "Ended",
    }
}

/// `n`'s share of `total`, in whole percents (0 when there is nothing yet).
pub fn share(n: u64, total: u64) -> u32 {
    if total == 0 {
        return 0;
    }
    // Rounded to the nearest; u128 so that no count can overflow.
    ((u128::from(n) * 200 + u128::from(total)) / (u128::from(total) * 2)) as u32
}

/// A partner's answers and their share of the total: "3 réponses (25 %)".
pub fn answers_share(lang: Lang, n: u64, total: u64) -> String {
    let percent = share(n, total);
    match lang {
        Lang::Fr => format!("{} ({percent}\u{a0}%)", answers(lang, n)),
        Lang::En => format!("{} ({percent}%)", answers(lang, n)),
    }
}

/// What a partner brought: "3 réponses par vous, 25 % du total (12 réponses)".
pub fn through_you(lang: Lang, own: u64, total: u64) -> String {
    let percent = share(own, total);
    match lang {
        Lang::Fr => format!(
            "{} par vous, {percent}\u{a0}% du total ({})",
            answers(lang, own),
            answers(lang, total)
        ),
        Lang::En => format!(
            "{} through you, {percent}% of the total ({})",
            answers(lang, own),
            answers(lang, total)
        ),
    }
}

/// Who runs a consultation a partner follows: "Organisée par Conseil de quartier".
pub fn run_by(lang: Lang, owner: &str) -> String {
    match lang {
        Lang::Fr => format!("Organisée par {owner}"),
        Lang::En => format!("Run by {owner}"),
    }
}

/// What an invitation asks, on the partnership's page.
pub fn invited_by(lang: Lang, owner: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "{owner} vous invite à co-organiser cette consultation. Acceptez pour obtenir votre code à coller sur vos sites, votre lien et votre QR code."
        ),
        Lang::En => format!(
            "{owner} invites you to co-host this consultation. Accept to get your code to paste on your sites, your link and your QR code."
        ),
    }
}

/// The label of one of a partner's sites: "Site 2".
pub fn site_n(_lang: Lang, n: usize) -> String {
    // The same word in both languages.
    format!("Site {n}")
}

/// The button removing one of a partner's sites, for screen readers: "Retirer le site 2".
pub fn remove_site(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!("Retirer le site {n}"),
        Lang::En => format!("Remove site {n}"),
    }
}

/// A partner's QR code, as its image's text: "QR code du lien d’Asso vélo".
pub fn partner_qr(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Fr => format!("QR code du lien du partenaire {name}"),
        Lang::En => format!("QR code of {name}’s link"),
    }
}

#[cfg(test)]
mod partner_tests {
    use super::*;

    #[test]
    fn shares_are_rounded_whole_percents_and_zero_without_answers() {
        assert_eq!(share(0, 0), 0);
        assert_eq!(share(1, 3), 33);
        assert_eq!(share(2, 3), 67);
        assert_eq!(share(1, 8), 13);
        assert_eq!(share(5, 5), 100);
        assert_eq!(share(u64::MAX, u64::MAX), 100);
    }

    #[test]
    fn a_partner_reads_its_count_and_share_of_the_total() {
        assert_eq!(
            through_you(Lang::Fr, 1, 4),
            "1 réponse par vous, 25\u{a0}% du total (4 réponses)"
        );
        assert_eq!(
            through_you(Lang::En, 1, 4),
            "1 answer through you, 25% of the total (4 answers)"
        );
        assert_eq!(answers_share(Lang::Fr, 3, 4), "3 réponses (75\u{a0}%)");
    }
}

/// After the count beside the partnerships' link, for screen readers: "invitation en attente".
pub fn waiting(lang: Lang, n: usize) -> &'static str {
    match (lang, n) {
        (Lang::Fr, 0 | 1) => "invitation en attente",
        (Lang::Fr, _) => "invitations en attente",
        (Lang::En, 1) => "pending invitation",
        (Lang::En, _) => "pending invitations",
    }
}

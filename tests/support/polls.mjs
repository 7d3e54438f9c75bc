// Consultations the browser tests create.

/** A consultation with one question of every kind, embeddable from `origin`. */
export function everyKind(origin, title = 'Le square Henri-IV') {
  return {
    title,
    description: 'Dites-nous ce que vous en pensez.',
    allowed_origins: [origin],
    results_visibility: 'after_answering',
    questions: [
      {
        id: 'frequence', prompt: 'Vous y allez souvent ?', required: true, kind: 'single_choice', allow_other: true,
        options: [{ id: 'souvent', label: 'Souvent' }, { id: 'parfois', label: 'Parfois' }, { id: 'jamais', label: 'Jamais' }],
      },
      {
        id: 'envies', prompt: 'Qu’aimeriez-vous y trouver ?', required: false, kind: 'multiple_choice',
        min_selections: 1, max_selections: 2,
        options: [{ id: 'jeux', label: 'Des jeux' }, { id: 'ombre', label: 'De l’ombre' }, { id: 'bancs', label: 'Des bancs' }],
      },
      {
        id: 'note', prompt: 'Votre satisfaction', required: true, kind: 'rating',
        min: 1, max: 5, min_label: 'Pas du tout', max_label: 'Tout à fait',
      },
      { id: 'rue', prompt: 'Votre rue', required: false, kind: 'short_text', max_length: 60 },
      { id: 'idees', prompt: 'Une idée ?', required: false, kind: 'long_text', max_length: 500 },
    ],
  };
}

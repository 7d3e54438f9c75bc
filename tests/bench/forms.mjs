// The same consultation for the two pages Concerto is compared with: a SurveyJS model and a
// plain HTML form, both derived from the consultation spec the Concerto server gets, so that
// the three ask exactly the same five questions.

/** Escapes text for HTML content and attribute values (the spec is ours, but stay honest). */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A SurveyJS (2.x) model of `spec`: one page, the questions in order, French UI. */
export function surveyJsModel(spec) {
  const elements = spec.questions.map((q) => {
    const base = { name: q.id, title: q.prompt, isRequired: q.required };
    const choices = (q.options ?? []).map((o) => ({ value: o.id, text: o.label }));
    switch (q.kind) {
      case 'single_choice':
        return { ...base, type: 'radiogroup', choices, showOtherItem: q.allow_other };
      case 'multiple_choice':
        return { ...base, type: 'checkbox', choices, minSelectedChoices: q.min_selections, maxSelectedChoices: q.max_selections };
      case 'rating':
        return {
          ...base,
          type: 'rating',
          rateMin: q.min,
          rateMax: q.max,
          minRateDescription: q.min_label,
          maxRateDescription: q.max_label,
        };
      case 'short_text':
        return { ...base, type: 'text', maxLength: q.max_length };
      case 'long_text':
        return { ...base, type: 'comment', maxLength: q.max_length };
      default:
        throw new Error(`no SurveyJS equivalent for question kind ${q.kind}`);
    }
  });
  return { locale: 'fr', title: spec.title, description: spec.description, elements };
}

/** `spec` as a plain HTML form: one fieldset per question, native controls, no script. */
export function plainForm(spec) {
  const e = escapeHtml;
  const required = (q) => (q.required ? ' <span class="req">(obligatoire)</span>' : '');
  const fieldsets = spec.questions.map((q) => {
    const legend = `<legend>${e(q.prompt)}${required(q)}</legend>`;
    const req = q.required ? ' required' : '';
    let body;
    switch (q.kind) {
      case 'single_choice': {
        const radios = q.options.map((o) => `<label><input type="radio" name="${e(q.id)}" value="${e(o.id)}"${req}> ${e(o.label)}</label>`);
        if (q.allow_other) {
          radios.push(`<label><input type="radio" name="${e(q.id)}" value=""> Autre</label>`);
          radios.push(`<input type="text" name="${e(q.id)}-autre" aria-label="Autre, précisez">`);
        }
        body = radios.join('\n');
        break;
      }
      case 'multiple_choice':
        body = q.options.map((o) => `<label><input type="checkbox" name="${e(q.id)}" value="${e(o.id)}"> ${e(o.label)}</label>`).join('\n');
        break;
      case 'rating': {
        const values = [];
        for (let v = q.min; v <= q.max; v++) {
          values.push(`<label class="rate"><input type="radio" name="${e(q.id)}" value="${v}"${req}> ${v}</label>`);
        }
        body = `<div class="scale">${values.join('')}</div><div class="ends"><span>${e(q.min_label)}</span><span>${e(q.max_label)}</span></div>`;
        break;
      }
      case 'short_text':
        body = `<input type="text" name="${e(q.id)}" maxlength="${q.max_length}" aria-label="${e(q.prompt)}">`;
        break;
      case 'long_text':
        body = `<textarea name="${e(q.id)}" maxlength="${q.max_length}" rows="4" aria-label="${e(q.prompt)}"></textarea>`;
        break;
      default:
        throw new Error(`no plain HTML equivalent for question kind ${q.kind}`);
    }
    return `<fieldset>\n${legend}\n${body}\n</fieldset>`;
  });
  return `<form method="post" action="#">\n<h2>${e(spec.title)}</h2>\n<p>${e(spec.description)}</p>\n${fieldsets.join('\n')}\n<button type="submit">Envoyer</button>\n</form>`;
}

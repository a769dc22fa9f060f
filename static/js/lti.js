// LTI deep-linking answer: post the signed form back to the platform at once (the button stays
// for browsers without script). CSP forbids inline script, hence this file.
document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());

/** What SMTP_URL and a provider's `url` must look like (nodemailer reads the rest). */
export const SMTP_URL_PATTERN = /^smtps?:\/\/[^\s]+$/;

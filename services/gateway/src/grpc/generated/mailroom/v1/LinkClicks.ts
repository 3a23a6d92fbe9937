// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


/**
 * Clicks on one tracked link of a newsletter.
 */
export interface LinkClicks {
  /**
   * The original URL, exactly as the email linked to it; empty on the `other` entry.
   */
  'url'?: (string);
  /**
   * Every click on it.
   */
  'clicks'?: (number);
  /**
   * Recipients who clicked it, each once (on the `other` entry: recipient-and-link pairs).
   */
  'recipients'?: (number);
  /**
   * The links past the bound, added up.
   */
  'other'?: (boolean);
}

/**
 * Clicks on one tracked link of a newsletter.
 */
export interface LinkClicks__Output {
  /**
   * The original URL, exactly as the email linked to it; empty on the `other` entry.
   */
  'url'?: (string);
  /**
   * Every click on it.
   */
  'clicks'?: (number);
  /**
   * Recipients who clicked it, each once (on the `other` entry: recipient-and-link pairs).
   */
  'recipients'?: (number);
  /**
   * The links past the bound, added up.
   */
  'other'?: (boolean);
}

// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


/**
 * What a newsletter tracks: opens (a 1×1 pixel) and clicks (every http(s) link through a signed redirect).
 */
export interface Tracking {
  'opens'?: (boolean);
  'clicks'?: (boolean);
}

/**
 * What a newsletter tracks: opens (a 1×1 pixel) and clicks (every http(s) link through a signed redirect).
 */
export interface Tracking__Output {
  'opens'?: (boolean);
  'clicks'?: (boolean);
}

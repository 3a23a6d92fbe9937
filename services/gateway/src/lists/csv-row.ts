// One CSV record as a subscriber: the rule is shared with the CLI (@mailroom/contracts, lists/subscriber-rows).
export { subscriberFromFields } from '@mailroom/contracts';

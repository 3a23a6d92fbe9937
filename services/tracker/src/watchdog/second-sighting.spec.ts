import { SecondSighting } from './second-sighting';

describe('second sighting', () => {
  it('confirms only what the previous look saw too, and forgets what a look did not see again', () => {
    const sightings = new SecondSighting();
    expect(sightings.confirm('a')).toBe(false);
    expect(sightings.confirm('b')).toBe(false);
    sightings.endLook();
    expect(sightings.confirm('a')).toBe(true);
    sightings.endLook();
    expect(sightings.confirm('b')).toBe(false);
    expect(sightings.confirm('a')).toBe(true);
    sightings.reset();
    expect(sightings.confirm('a')).toBe(false);
  });
});

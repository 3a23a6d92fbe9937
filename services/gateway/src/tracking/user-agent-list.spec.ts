import { DEFAULT_MACHINE_OPEN_USER_AGENTS, UserAgentList } from './user-agent-list';

describe('UserAgentList', () => {
  it('matches an entry anywhere in the header, in any case', () => {
    const list = UserAgentList.parse(' Barracuda , curl/ ,, ');
    expect(list.entries).toEqual(['barracuda', 'curl/']);
    expect(list.has('Barracuda Sentinel (EE)')).toBe(true);
    expect(list.has('Mozilla/5.0 (compatible; BARRACUDA link protection)')).toBe(true);
    expect(list.has('curl/8.5.0')).toBe(true);
    expect(list.has('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)')).toBe(false);
    expect(list.has('curl')).toBe(false);
    expect(list.has(undefined)).toBe(false);
    expect(list.has('')).toBe(false);
  });

  it('is empty for an empty value and for `none`: nothing is a machine', () => {
    for (const value of ['', '  ', ',', 'none', 'NONE']) {
      const list = UserAgentList.parse(value);
      expect(list.size).toBe(0);
      expect(list.has('Barracuda Sentinel (EE)')).toBe(false);
    }
  });

  it('by default knows mail security scanners and HTTP libraries, and leaves readers’ mail clients and image proxies alone', () => {
    const list = UserAgentList.parse(DEFAULT_MACHINE_OPEN_USER_AGENTS);
    for (const machine of [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246 Mozilla/5.0',
      'Barracuda Sentinel (EE)',
      'python-requests/2.31.0',
      'Go-http-client/1.1',
      'Wget/1.21.4',
    ]) {
      expect([machine, list.has(machine)]).toEqual([machine, true]);
    }
    for (const reader of [
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
      'Mozilla/5.0',
      // A real Edge 12 (2015) ends at its version.
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
      'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
      'Thunderbird/115.9.0',
    ]) {
      expect([reader, list.has(reader)]).toEqual([reader, false]);
    }
  });
});

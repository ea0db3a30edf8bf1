const HOSTS = ['app.example.com', 'admin.example.com'];

export const isAllowedHost = (host) => HOSTS.includes(host) || host.endsWith('.preview.example.com');

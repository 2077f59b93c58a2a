# A stand-in for dockerd that records every request (method, URI, body) as one JSON line and
# answers /_ping; used by record_requests.sh.
import socketserver, sys, json, os, re
OUT = sys.argv[2]
class H(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            line = self.rfile.readline()
            if not line: return
            method, uri, _ = line.decode().split(' ', 2)
            headers = {}
            while True:
                l = self.rfile.readline().decode()
                if l in ('\r\n', '\n', ''): break
                k, v = l.split(':', 1); headers[k.strip().lower()] = v.strip()
            body = b''
            if 'content-length' in headers:
                body = self.rfile.read(int(headers['content-length']))
            elif headers.get('transfer-encoding') == 'chunked':
                while True:
                    n = int(self.rfile.readline().strip(), 16)
                    if n == 0: self.rfile.readline(); break
                    body += self.rfile.read(n); self.rfile.readline()
            with open(OUT, 'a') as f:
                f.write(json.dumps({'method': method, 'uri': uri, 'content_type': headers.get('content-type',''), 'body': body.decode()}) + '\n')
            if uri.endswith('/_ping'):
                resp = b'OK'; status = '200 OK'; ct='text/plain'
            elif re.search(r'/containers/[^/]+/json', uri):
                resp = json.dumps({'Id':'abc','Name':'/x','State':{'Running':True,'Status':'running'},'Config':{},'HostConfig':{}}).encode(); status='200 OK'; ct='application/json'
            else:
                resp = json.dumps({'message':'recorded'}).encode(); status = '500 Internal Server Error'; ct='application/json'
            if method == 'HEAD':
                resp = b''
            hdr = f'HTTP/1.1 {status}\r\nApi-Version: 1.41\r\nOstype: linux\r\nContent-Type: {ct}\r\nContent-Length: {2 if method == "HEAD" else len(resp)}\r\n\r\n'
            self.wfile.write(hdr.encode() + resp); self.wfile.flush()
class S(socketserver.ThreadingUnixStreamServer): daemon_threads = True
p = sys.argv[1]
if os.path.exists(p): os.unlink(p)
S(p, H).serve_forever()

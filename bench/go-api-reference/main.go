// Reference for bench/go-api: a Go net/http server doing the same work as go-api on /bench
// and / (whoami's text, interface addresses read on every request as whoami and go-api do),
// and, unless -quiet, the same access-log line per request on stdout, written the way Go's
// log package writes (one write per line). bench/go-api measures both side by side.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

var recorders = sync.Pool{New: func() any { return new(recorder) }}

// accessLog writes go-api's access-log line: local time, level, label, source, peer,
// "METHOD target", status, body bytes, microseconds, "User-Agent".
func accessLog(out *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := recorders.Get().(*recorder)
		*rec = recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		agent := r.UserAgent()
		if agent == "" {
			agent = "-"
		}
		var b strings.Builder
		b.Grow(128)
		b.WriteString(start.Format("2006-01-02T15:04:05-0700"))
		b.WriteString(" info go-api.access: [GoAPI] ")
		b.WriteString(r.RemoteAddr)
		b.WriteString(" \"")
		b.WriteString(r.Method)
		b.WriteByte(' ')
		b.WriteString(r.RequestURI)
		b.WriteString("\" ")
		b.WriteString(strconv.Itoa(rec.status))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(rec.bytes))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(time.Since(start).Microseconds(), 10))
		b.WriteString("us \"")
		b.WriteString(agent)
		b.WriteByte('"')
		out.Println(b.String())
		rec.ResponseWriter = nil
		recorders.Put(rec)
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	quiet := flag.Bool("quiet", false, "no access log")
	flag.Parse()

	hostname, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/bench", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("1"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		var b strings.Builder
		b.Grow(512)
		b.WriteString("Hostname: " + hostname + "\n")
		// As traefik/whoami does: the interfaces, then each one's addresses, on every request.
		ifaces, _ := net.Interfaces()
		for _, i := range ifaces {
			addrs, _ := i.Addrs()
			for _, a := range addrs {
				switch v := a.(type) {
				case *net.IPNet:
					b.WriteString("IP: " + v.IP.String() + "\n")
				case *net.IPAddr:
					b.WriteString("IP: " + v.IP.String() + "\n")
				}
			}
		}
		b.WriteString("RemoteAddr: " + r.RemoteAddr + "\n")
		b.WriteString(r.Method + " " + r.URL.RequestURI() + " " + r.Proto + "\n")
		b.WriteString("Host: " + r.Host + "\n")
		for name, values := range r.Header {
			for _, v := range values {
				b.WriteString(name + ": " + v + "\n")
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(b.String()))
	})

	var handler http.Handler = mux
	if !*quiet {
		handler = accessLog(log.New(os.Stdout, "", 0), mux)
	}
	log.Fatal(http.ListenAndServe(*addr, handler))
}

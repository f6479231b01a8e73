// Reference for bench/go-api: a Go net/http server answering the same
// /bench and / (whoami-style text) as go-api, so both are measured side by side.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	flag.Parse()

	hostname, _ := os.Hostname()

	http.HandleFunc("/bench", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "1")
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Hostname: %s\n", hostname)
		// Like traefik/whoami: interface addresses are read on every request.
		ifaces, _ := net.Interfaces()
		for _, i := range ifaces {
			addrs, _ := i.Addrs()
			for _, a := range addrs {
				switch v := a.(type) {
				case *net.IPNet:
					fmt.Fprintf(&b, "IP: %s\n", v.IP)
				case *net.IPAddr:
					fmt.Fprintf(&b, "IP: %s\n", v.IP)
				}
			}
		}
		fmt.Fprintf(&b, "RemoteAddr: %s\n", r.RemoteAddr)
		fmt.Fprintf(&b, "%s %s %s\n", r.Method, r.URL.RequestURI(), r.Proto)
		fmt.Fprintf(&b, "Host: %s\n", r.Host)
		for name, values := range r.Header {
			for _, v := range values {
				fmt.Fprintf(&b, "%s: %s\n", name, v)
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, b.String())
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}

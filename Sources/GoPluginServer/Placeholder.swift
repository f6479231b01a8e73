// go-plugin server side lives here.

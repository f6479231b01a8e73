package main

func runDisk(rep *reporter, opts options)      { rep.skip("not written yet") }
func runDemo(rep *reporter, opts options)      { rep.skip("not written yet") }

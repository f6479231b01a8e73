package main

func runLifecycle(rep *reporter, opts options) { rep.skip("not written yet") }
func runRecover(rep *reporter, opts options)   { rep.skip("not written yet") }
func runDisk(rep *reporter, opts options)      { rep.skip("not written yet") }
func runDemo(rep *reporter, opts options)      { rep.skip("not written yet") }

print("go-api: not built yet")

import SwiftDriver
print("nomad-driver-swift: not wired yet")
